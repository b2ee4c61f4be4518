import Exchanges
import Indicators
import Model

/// Everything the pipeline knows about one symbol, as strategies read it: prices, book top,
/// the last ticks and trades, closed candles per interval, the model's rating, feed health.
///
/// Owned by the symbol's processor and updated in place before each strategy call; read it
/// only inside that call (it is not Sendable and changes with the next event).
public final class SymbolView {
    public let symbol: CanonicalSymbol
    public let exchange: Exchange
    /// Receive time of the event being processed, epoch ms (the simulated clock in a replay).
    public internal(set) var now: Int64 = 0
    /// Exchange time of the event being processed (its receive time when the exchange sends none).
    public internal(set) var eventTime: Int64 = 0
    public internal(set) var lastPrice: Double?
    /// The touch, from tickers or the book, whichever was newer.
    public internal(set) var top = BookTop()
    public internal(set) var ticks: RecentRing<RecentTick>
    public internal(set) var trades: RecentRing<RecentTrade>
    /// Closed candles per configured interval, in the order the intervals were configured.
    public let intervals: [CandleInterval]
    public internal(set) var candles: [RecentRing<Candle>]
    public internal(set) var rating: ModelRating? {
        didSet { ratingChanges &+= 1 }
    }
    /// Counts assignments of ``rating``, so readers copy a new rating only when there is one.
    public private(set) var ratingChanges: UInt64 = 0
    /// 0...1, from the pipeline's own health tracking of this symbol.
    public internal(set) var feedQuality: Double = 0
    public internal(set) var bookInSync = true

    init(symbol: CanonicalSymbol, exchange: Exchange, configuration: PipelineConfiguration) {
        self.symbol = symbol
        self.exchange = exchange
        ticks = RecentRing(capacity: configuration.tickCapacity, filler: .empty)
        trades = RecentRing(capacity: configuration.tradeCapacity, filler: .empty)
        intervals = configuration.intervals
        candles = configuration.intervals.map { _ in
            RecentRing(capacity: configuration.candleCapacity, filler: Candle(time: 0, open: 0, high: 0, low: 0, close: 0, volume: 0))
        }
    }

    /// The closed candles of `interval`, nil when that interval is not built.
    public func candles(_ interval: CandleInterval) -> RecentRing<Candle>? {
        intervals.firstIndex(of: interval).map { candles[$0] }
    }

    /// The newest closed candle of `interval`.
    public func lastCandle(_ interval: CandleInterval) -> Candle? {
        candles(interval)?.newest
    }
}
