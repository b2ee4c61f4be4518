import Exchanges

/// What the running pipeline tells the API: status, latest signals, per-symbol data, and
/// start/stop of symbols. The pipeline implements it; `InMemoryRealtimeState` serves tests and a
/// daemon without a pipeline.
public protocol RealtimeState: Sendable {
    /// Running?, symbols, feed health, rates, latency percentiles, strategy states.
    func status() async -> RealtimeStatus
    /// The latest signal per (symbol, strategy) matching `filter`.
    func latestSignals(_ filter: LatestSignalFilter) async -> [Signal]
    /// Everything known about `symbol` (canonical or exchange-native name), nil when it is not followed.
    func snapshot(symbol: String) async -> SymbolSnapshot?
    /// Starts following `symbols` on `exchange` (nil: the first configured feed's exchange).
    func start(symbols: [String], exchange: Exchange?) async throws(RealtimeControlError) -> RealtimeChange
    /// Stops following `symbols`.
    func stop(symbols: [String], exchange: Exchange?) async throws(RealtimeControlError) -> RealtimeChange
}

/// Filters of `GET /realtime/signals`.
public struct LatestSignalFilter: Sendable, Hashable {
    public var symbol: String?
    public var strategy: String?
    public var level: SignalLevel?
    /// Only signals at or after this time, epoch ms.
    public var since: Int64?

    public init(symbol: String? = nil, strategy: String? = nil, level: SignalLevel? = nil, since: Int64? = nil) {
        self.symbol = symbol
        self.strategy = strategy
        self.level = level
        self.since = since
    }

    /// Whether `signal` passes the filter.
    public func matches(_ signal: Signal) -> Bool {
        (symbol == nil || signal.symbol == symbol) && (strategy == nil || signal.strategy == strategy)
            && (level == nil || signal.level == level) && (since.map { signal.time >= $0 } ?? true)
    }
}

/// A refused start/stop request (unknown symbol, exchange not configured): answered with 4xx.
public struct RealtimeControlError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 400 for a malformed request, 404 for an unknown symbol, 409 for a conflicting state.
    public var status: Int
    public var message: String

    public init(status: Int = 400, message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }
}

/// What a start/stop changed.
public struct RealtimeChange: Sendable, Hashable, Codable {
    /// Canonical names now started (or stopped).
    public var changed: [String]
    /// Names that were already in the requested state.
    public var unchanged: [String]
    /// Every symbol followed after the change.
    public var symbols: [String]

    public init(changed: [String], unchanged: [String], symbols: [String]) {
        self.changed = changed
        self.unchanged = unchanged
        self.symbols = symbols
    }
}
