import Indicators
import Model

/// What strategies know about one symbol: the latest prices, book, candles, trades and model
/// rating. The symbol's processor owns it (it is not `Sendable`), updates it as events arrive
/// and then calls ``SymbolStrategies/onTick()`` or ``SymbolStrategies/onCandle(timeframe:candle:)``,
/// which hand it to every strategy as `ctx`.
public final class MarketView {
    /// Canonical `BASE/QUOTE`, e.g. `BTC/USDT`.
    public let symbol: String
    /// The exchange's name (`binance`, ...).
    public let exchange: String
    /// Event time of the latest update, epoch milliseconds (`ctx.now`).
    public var now: Int64 = 0
    /// Last traded (or ticker) price; NaN until known.
    public var lastPrice = Double.nan
    /// Best bid and ask with their sizes, when a book or ticker gives them.
    public var bid: Double?
    public var ask: Double?
    public var bidSize: Double?
    public var askSize: Double?
    /// Book imbalance -1...1 ((bid volume - ask volume) / total near the top), when a book is kept.
    public var bookImbalance: Double?
    /// The model's rating, its five class probabilities (strong sell ... strong buy) and the model version.
    public var rating: RatingLevel?
    public var probabilities: [Double]?
    public var modelVersion: String?

    /// The last closed candle of each timeframe.
    public private(set) var lastCandles: [String: Candle] = [:]
    /// Closed candles kept per timeframe for `ctx.history(n)`.
    public let historyCapacity: Int
    private(set) var candleHistories: [String: SeriesBuffer] = [:]
    /// Recent trades for `ctx.trades(n)`.
    let trades: SeriesBuffer

    public init(symbol: String, exchange: String, historyCapacity: Int = 500, tradeCapacity: Int = 500) {
        self.symbol = symbol
        self.exchange = exchange
        self.historyCapacity = historyCapacity
        trades = SeriesBuffer(capacity: tradeCapacity, names: SeriesBuffer.tradeColumns, columns: 4, sideColumn: 3)
    }

    /// Records a closed candle of `timeframe` (``SymbolStrategies/onCandle(timeframe:candle:)`` does this itself).
    public func record(candle: Candle, timeframe: String) {
        lastCandles[timeframe] = candle
        history(timeframe).append { row in
            row[0] = Double(candle.time)
            row[1] = candle.open
            row[2] = candle.high
            row[3] = candle.low
            row[4] = candle.close
            row[5] = candle.volume
        }
        now = max(now, candle.time)
        lastPrice = candle.close
    }

    /// Records a trade and makes its price the last price.
    public func record(trade: TradeRecord) {
        trades.append { row in
            row[0] = Double(trade.time)
            row[1] = trade.price
            row[2] = trade.size
            row[3] = trade.side == .buy ? 1 : -1
        }
        lastPrice = trade.price
        now = max(now, trade.time)
    }

    /// The newest `count` candles of `timeframe`, oldest first.
    public func candles(_ timeframe: String, last count: Int) -> [Candle] {
        guard let buffer = candleHistories[timeframe] else { return [] }
        let n = min(count, buffer.count)
        return (0..<n).reversed().compactMap { age in
            buffer.row(age: age).map { Candle(time: Int64($0[0]), open: $0[1], high: $0[2], low: $0[3], close: $0[4], volume: $0[5]) }
        }
    }

    /// The candle ring of `timeframe`, created on first use.
    func history(_ timeframe: String) -> SeriesBuffer {
        if let buffer = candleHistories[timeframe] { return buffer }
        let buffer = SeriesBuffer(capacity: historyCapacity, names: SeriesBuffer.candleColumns, columns: 6)
        candleHistories[timeframe] = buffer
        return buffer
    }
}
