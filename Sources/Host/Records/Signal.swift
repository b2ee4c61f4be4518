import Indicators

/// One strategy's verdict on one symbol at one moment, with everything needed to explain and
/// replay it: what the strategy read, what the model said, the risk proposal, the feed's health
/// and the latency from the exchange event to the signal.
///
/// Encoded with snake_case keys (`strategy_hash`, `model_version`, ...) for REST, WebSocket and storage.
public struct Signal: Sendable, Hashable, Codable {
    /// Storage id (0 until stored).
    public var id: Int64
    public var symbol: String
    public var exchange: String
    /// When the signal was made, epoch milliseconds (the time of the event that caused it:
    /// the candle close or the tick).
    public var time: Int64
    public var level: SignalLevel
    /// 0...1, the strategy's confidence (1 when it gives none).
    public var confidence: Double
    public var reason: String
    public var strategy: String
    /// SHA-256 (hex) of the strategy's source, so the exact version can be found again.
    public var strategyHash: String
    /// The candle interval that triggered the signal (`1m`, `5m`, ...), or `tick`.
    public var trigger: String
    public var modelVersion: String?
    /// Class probabilities strong_sell...strong_buy, when a model is loaded.
    public var modelProbabilities: [Double]?
    /// The indicator values the strategy had, by the names it declared (`rsi`, `macd.hist`, ...).
    public var indicators: IndicatorReadings
    public var risk: Risk?
    public var feed: Feed
    /// Microseconds from the exchange event (receive time when the exchange sends none) to the signal.
    public var latencyMicroseconds: Int64

    /// Position size and exits proposed by the host and accepted or changed by the strategy's risk rule.
    public struct Risk: Sendable, Hashable, Codable {
        /// Units of the base asset; 0 when vetoed.
        public var size: Double
        public var stopLoss: Double?
        public var takeProfit: Double?
        public var vetoed: Bool
        public var note: String?

        public init(size: Double, stopLoss: Double?, takeProfit: Double?, vetoed: Bool = false, note: String? = nil) {
            self.size = size
            self.stopLoss = stopLoss
            self.takeProfit = takeProfit
            self.vetoed = vetoed
            self.note = note
        }
    }

    /// The symbol's feed health when the signal was made.
    public struct Feed: Sendable, Hashable, Codable {
        /// 0...1 quality score; below the configured threshold the level is `unknown`.
        public var quality: Double
        /// Milliseconds since the previous market event, nil before the first.
        public var lastEventAgeMilliseconds: Int64?
        public var bookInSync: Bool

        public init(quality: Double, lastEventAgeMilliseconds: Int64?, bookInSync: Bool) {
            self.quality = quality
            self.lastEventAgeMilliseconds = lastEventAgeMilliseconds
            self.bookInSync = bookInSync
        }
    }

    public init(id: Int64 = 0, symbol: String, exchange: String, time: Int64, level: SignalLevel,
                confidence: Double, reason: String, strategy: String, strategyHash: String, trigger: String,
                modelVersion: String? = nil, modelProbabilities: [Double]? = nil,
                indicators: IndicatorReadings = [:], risk: Risk? = nil, feed: Feed, latencyMicroseconds: Int64) {
        self.id = id
        self.symbol = symbol
        self.exchange = exchange
        self.time = time
        self.level = level
        self.confidence = confidence
        self.reason = reason
        self.strategy = strategy
        self.strategyHash = strategyHash
        self.trigger = trigger
        self.modelVersion = modelVersion
        self.modelProbabilities = modelProbabilities
        self.indicators = indicators
        self.risk = risk
        self.feed = feed
        self.latencyMicroseconds = latencyMicroseconds
    }
}
