/// `GET /realtime/data/{symbol}`: everything known about one symbol now.
public struct SymbolSnapshot: Sendable, Hashable, Codable {
    public var symbol: String
    public var exchange: String
    public var lastPrice: Double?
    public var bestBid: Double?
    public var bestAsk: Double?
    /// The last closed candles by interval (`1m`: [...]), oldest first.
    public var candles: [String: [StoredCandle]]
    /// Indicator values by name.
    public var indicators: [String: Double]
    /// The model's rating, when a model is loaded and a candle has closed.
    public var rating: Rating?
    public var feed: Signal.Feed

    public init(symbol: String, exchange: String, lastPrice: Double? = nil, bestBid: Double? = nil, bestAsk: Double? = nil,
                candles: [String: [StoredCandle]] = [:], indicators: [String: Double] = [:], rating: Rating? = nil,
                feed: Signal.Feed) {
        self.symbol = symbol
        self.exchange = exchange
        self.lastPrice = lastPrice
        self.bestBid = bestBid
        self.bestAsk = bestAsk
        self.candles = candles
        self.indicators = indicators
        self.rating = rating
        self.feed = feed
    }

    /// A model rating: level, class probabilities (strong_sell...strong_buy) and model version.
    public struct Rating: Sendable, Hashable, Codable {
        public var level: SignalLevel
        public var probabilities: [Double]
        public var modelVersion: String
        /// When it was computed, epoch ms.
        public var time: Int64

        public init(level: SignalLevel, probabilities: [Double], modelVersion: String, time: Int64) {
            self.level = level
            self.probabilities = probabilities
            self.modelVersion = modelVersion
            self.time = time
        }
    }
}
