import Indicators
import Model

/// The latest state of one symbol, as REST reads it: last price, book top, last candles,
/// indicator values, model rating, feed health, and the last signal of each strategy.
public struct SymbolLatest: Sendable, Codable {
    public var symbol: String
    public var exchange: String
    /// Event time of the newest market event, epoch ms.
    public var time: Int64?
    public var lastPrice: Double?
    public var top: BookTop
    /// The newest closed candle per interval name (`1m`, `5m`, ...).
    public var candles: [String: CandleRecord]
    /// The indicator values strategies read with their newest signals, by strategy then name.
    public var indicators: [String: IndicatorReadings]
    public var rating: RatingRecord?
    public var feed: FeedStatus
    /// The newest signal per strategy name.
    public var signals: [String: Signal]
    /// The newest strategy error, if any.
    public var lastError: StrategyFailure?

    init(symbol: String, exchange: String) {
        self.symbol = symbol
        self.exchange = exchange
        top = BookTop()
        candles = [:]
        indicators = [:]
        signals = [:]
        feed = FeedStatus(symbol: symbol, exchange: exchange, time: 0, quality: 0, lastEventAgeMilliseconds: nil,
                            bookInSync: true, messages: 0, messagesPerSecond: 0, incidents: [:])
    }
}

/// A candle as records carry it (Codable, unlike `Indicators.Candle`).
public struct CandleRecord: Sendable, Hashable, Codable {
    /// Open time, epoch ms.
    public var time: Int64
    public var open: Double
    public var high: Double
    public var low: Double
    public var close: Double
    public var volume: Double

    public init(_ candle: Candle) {
        time = candle.time
        open = candle.open
        high = candle.high
        low = candle.low
        close = candle.close
        volume = candle.volume
    }

    public var candle: Candle { Candle(time: time, open: open, high: high, low: low, close: close, volume: volume) }
}

/// A model rating as records carry it.
public struct RatingRecord: Sendable, Hashable, Codable {
    public var level: RatingLevel
    /// Class probabilities strong_sell...strong_buy.
    public var probabilities: [Double]
    public var version: String
    /// When it was made (the close of the candle that produced it), epoch ms.
    public var time: Int64

    public init(_ rating: ModelRating, time: Int64) {
        level = rating.level
        probabilities = rating.probabilities
        version = rating.version
        self.time = time
    }
}
