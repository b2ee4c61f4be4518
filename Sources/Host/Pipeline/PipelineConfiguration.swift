import Exchanges
import Indicators

/// Tuning of the pipeline; every field has a default.
public struct PipelineConfiguration: Sendable {
    /// Candle intervals built per symbol (default 1m, 5m, 15m, 1h).
    public var intervals: [CandleInterval]
    /// Ticks kept per symbol.
    public var tickCapacity: Int
    /// Trades kept per symbol.
    public var tradeCapacity: Int
    /// Closed candles kept per symbol and interval.
    public var candleCapacity: Int
    /// Below this feed quality (0...1) a symbol's signals are `unknown`.
    public var qualityThreshold: Double
    /// Worker threads; symbols are spread over them, each symbol always on the same one.
    public var shards: Int
    /// Events a shard's queue holds before the producer waits.
    public var queueCapacity: Int
    /// How the pipeline judges freshness and trouble of each symbol's feed.
    public var health: FeedHealth.Configuration
    /// Publish every tick and trade to the output hub (off: only signals, alerts, candles, status).
    public var publishTicks: Bool

    public init(intervals: [CandleInterval] = CandleInterval.defaults, tickCapacity: Int = 1000, tradeCapacity: Int = 1000,
                candleCapacity: Int = 500, qualityThreshold: Double = 0.5, shards: Int = 2, queueCapacity: Int = 4096,
                health: FeedHealth.Configuration = .init(), publishTicks: Bool = true) {
        self.intervals = intervals
        self.tickCapacity = tickCapacity
        self.tradeCapacity = tradeCapacity
        self.candleCapacity = candleCapacity
        self.qualityThreshold = qualityThreshold
        self.shards = max(1, shards)
        self.queueCapacity = max(16, queueCapacity)
        self.health = health
        self.publishTicks = publishTicks
    }
}
