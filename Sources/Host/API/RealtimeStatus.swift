/// `GET /realtime/status`: the pipeline's state.
public struct RealtimeStatus: Sendable, Hashable, Codable {
    public var running: Bool
    /// Epoch ms when the pipeline started, nil when it is not running.
    public var startedAt: Int64?
    public var symbols: [SymbolStatus]
    /// Market events processed per second, all symbols, over the last few seconds.
    public var eventsPerSecond: Double
    /// Event-to-signal latency percentiles, microseconds (nil before the first signal).
    public var latency: LatencyPercentiles?
    /// Every strategy's state.
    public var strategies: [StrategyState]

    public init(running: Bool, startedAt: Int64? = nil, symbols: [SymbolStatus] = [], eventsPerSecond: Double = 0,
                latency: LatencyPercentiles? = nil, strategies: [StrategyState] = []) {
        self.running = running
        self.startedAt = startedAt
        self.symbols = symbols
        self.eventsPerSecond = eventsPerSecond
        self.latency = latency
        self.strategies = strategies
    }

    /// Latency percentiles in microseconds (from an HdrHistogram).
    public struct LatencyPercentiles: Sendable, Hashable, Codable {
        public var p50: Double
        public var p90: Double
        public var p99: Double
        public var max: Double
        public var count: Int

        public init(p50: Double, p90: Double, p99: Double, max: Double, count: Int) {
            self.p50 = p50
            self.p90 = p90
            self.p99 = p99
            self.max = max
            self.count = count
        }
    }

    /// One strategy: loaded version, and whether it runs or is parked.
    public struct StrategyState: Sendable, Hashable, Codable {
        public var name: String
        public var hash: String
        /// `running`, `parked` or `failed`.
        public var state: String
        public var symbols: [String]
        public var lastError: String?

        public init(name: String, hash: String, state: String, symbols: [String], lastError: String? = nil) {
            self.name = name
            self.hash = hash
            self.state = state
            self.symbols = symbols
            self.lastError = lastError
        }
    }
}

/// One followed symbol in the status.
public struct SymbolStatus: Sendable, Hashable, Codable {
    public var symbol: String
    public var exchange: String
    public var feed: Signal.Feed
    public var eventsPerSecond: Double
    public var lastPrice: Double?
    /// Events received for the symbol.
    public var messages: UInt64
    /// Feed incidents by kind (``FeedIncident`` raw values): the larger of the pipeline's and
    /// the connector's count of each.
    public var incidents: [String: UInt64]

    public init(symbol: String, exchange: String, feed: Signal.Feed, eventsPerSecond: Double, lastPrice: Double? = nil,
                messages: UInt64 = 0, incidents: [String: UInt64] = [:]) {
        self.symbol = symbol
        self.exchange = exchange
        self.feed = feed
        self.eventsPerSecond = eventsPerSecond
        self.lastPrice = lastPrice
        self.messages = messages
        self.incidents = incidents
    }
}
