import Indicators

/// `GET /signals/{id}`: a stored signal with what it takes to explain and replay it — the
/// exact strategy source its `strategy_hash` names, and the candles of its trigger interval
/// that had closed when it was emitted.
public struct SignalExplanation: Sendable, Codable {
    public var signal: Signal
    /// The strategy version that emitted it; nil for a built-in or a version not stored.
    public var strategy: StrategyVersionRecord?
    /// The interval of `candles`: the signal's trigger, or `1m` for a tick signal.
    public var interval: String
    /// Up to ``candleLimit`` candles that had closed by the signal's time, oldest first.
    public var candles: [StoredCandle]

    /// Candles returned at most (enough to warm up the usual indicators).
    public static let candleLimit = 500

    public init(signal: Signal, strategy: StrategyVersionRecord?, interval: String, candles: [StoredCandle]) {
        self.signal = signal
        self.strategy = strategy
        self.interval = interval
        self.candles = candles
    }

    /// Reads the explanation of signal `id` from `storage`; nil when there is no such signal.
    public static func load(id: Int64, from storage: Storage) async throws(StorageError) -> SignalExplanation? {
        guard let signal = try await storage.signal(id: id) else { return nil }
        let strategy = try await storage.strategyVersion(name: signal.strategy, hash: signal.strategyHash)
        let interval = CandleInterval(signal.trigger) ?? .oneMinute
        let closedBy = signal.time - interval.milliseconds + 1  // a candle starting before this had closed
        let candles = try await storage.candles(symbol: signal.symbol, interval: interval.description, until: closedBy, limit: candleLimit)
        return SignalExplanation(signal: signal, strategy: strategy, interval: interval.description, candles: candles)
    }
}
