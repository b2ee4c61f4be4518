import Exchanges

/// A `RealtimeState` kept in memory and fed by hand: the state of a daemon running without a
/// pipeline (nothing followed until `start`), and the API tests' stand-in for the pipeline.
public actor InMemoryRealtimeState: RealtimeState {
    private var running: Bool
    private var followed: [String: Exchange] = [:]
    private var latest: [String: Signal] = [:]
    private var snapshots: [String: SymbolSnapshot] = [:]
    private let exchanges: Set<Exchange>

    /// A state accepting symbols on `exchanges` (the first is the default for start/stop).
    public init(exchanges: [Exchange] = [.sim], running: Bool = false) {
        self.exchanges = Set(exchanges)
        self.defaultExchange = exchanges.first ?? .sim
        self.running = running
    }

    private let defaultExchange: Exchange

    public func status() -> RealtimeStatus {
        RealtimeStatus(running: running, symbols: followed.keys.sorted().map { symbol in
            SymbolStatus(symbol: symbol, exchange: followed[symbol]!.rawValue,
                         feed: snapshots[symbol]?.feed ?? Signal.Feed(quality: 0, lastEventAgeMilliseconds: nil, bookInSync: false),
                         eventsPerSecond: 0, lastPrice: snapshots[symbol]?.lastPrice)
        })
    }

    public func latestSignals(_ filter: LatestSignalFilter) -> [Signal] {
        latest.values.filter(filter.matches).sorted { ($0.symbol, $0.strategy) < ($1.symbol, $1.strategy) }
    }

    public func snapshot(symbol: String) -> SymbolSnapshot? { snapshots[symbol] }

    public func start(symbols: [String], exchange: Exchange?) throws(RealtimeControlError) -> RealtimeChange {
        let exchange = try accepted(exchange)
        let changed = symbols.filter { followed[$0] == nil }
        for symbol in changed { followed[symbol] = exchange }
        running = true
        return RealtimeChange(changed: changed, unchanged: symbols.filter { !changed.contains($0) }, symbols: followed.keys.sorted())
    }

    public func stop(symbols: [String], exchange: Exchange?) throws(RealtimeControlError) -> RealtimeChange {
        _ = try accepted(exchange)
        let changed = symbols.filter { followed[$0] != nil }
        for symbol in changed { followed[symbol] = nil }
        return RealtimeChange(changed: changed, unchanged: symbols.filter { !changed.contains($0) }, symbols: followed.keys.sorted())
    }

    /// Records `signal` as the latest of its (symbol, strategy).
    public func record(_ signal: Signal) {
        latest["\(signal.symbol)\u{0}\(signal.strategy)"] = signal
    }

    /// Sets the data served for `snapshot.symbol`.
    public func record(_ snapshot: SymbolSnapshot) {
        snapshots[snapshot.symbol] = snapshot
    }

    private func accepted(_ exchange: Exchange?) throws(RealtimeControlError) -> Exchange {
        let exchange = exchange ?? defaultExchange
        guard exchanges.contains(exchange) else {
            throw RealtimeControlError(status: 409, message: "exchange '\(exchange)' has no configured feed; configured: \(exchanges.map(\.rawValue).sorted().joined(separator: ", "))")
        }
        return exchange
    }
}
