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

    /// Closed candles kept per timeframe for `ctx.history(n)`.
    public let historyCapacity: Int
    /// Each timeframe's candle ring and last closed candle, in the order first seen. A handful
    /// of short names: a scan compares them faster than a dictionary hashes one.
    private var timeframes: [TimeframeCandles] = []
    /// Recent trades for `ctx.trades(n)`.
    let trades: SeriesBuffer

    /// - Parameter timeframes: the timeframes whose candle rings are made now (the intervals
    ///   the symbol's candles are built in), so the first close of each does not pay for
    ///   allocating and first touching its ring; others are made when first used.
    public init(symbol: String, exchange: String, historyCapacity: Int = 500, tradeCapacity: Int = 500, timeframes: [String] = []) {
        self.symbol = symbol
        self.exchange = exchange
        self.historyCapacity = historyCapacity
        trades = SeriesBuffer(capacity: tradeCapacity, names: SeriesBuffer.tradeColumns, columns: 4, sideColumn: 3)
        for timeframe in timeframes { _ = index(of: timeframe) }
    }

    /// Records a closed candle of `timeframe` (``SymbolStrategies/onCandle(timeframe:candle:)`` does this itself).
    public func record(candle: Candle, timeframe: String) {
        let index = index(of: timeframe)
        timeframes[index].last = candle
        timeframes[index].history.append { row in
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

    /// The last closed candle of `timeframe`, if one closed.
    public func lastCandle(_ timeframe: String) -> Candle? {
        timeframes.first { $0.name == timeframe }?.last
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

    /// The candle ring of `timeframe`, created on first use.
    func history(_ timeframe: String) -> SeriesBuffer { timeframes[index(of: timeframe)].history }

    /// The position of `timeframe` in `timeframes`, its ring created if it has none.
    private func index(of timeframe: String) -> Int {
        if let index = timeframes.firstIndex(where: { $0.name == timeframe }) { return index }
        timeframes.append(TimeframeCandles(
            name: timeframe, history: SeriesBuffer(capacity: historyCapacity, names: SeriesBuffer.candleColumns, columns: 6)))
        return timeframes.count - 1
    }
}

/// One timeframe's closed candles in a ``MarketView``.
struct TimeframeCandles {
    let name: String
    let history: SeriesBuffer
    var last: Candle?
}
