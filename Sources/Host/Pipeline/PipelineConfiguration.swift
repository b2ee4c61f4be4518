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
    /// How long an idle shard thread spins, watching its queue, before it parks: an event
    /// arriving within the spin is taken at once instead of waking a parked thread. Spinning
    /// costs CPU only while events keep coming; an idle pipeline parks. Zero (the default)
    /// parks at once: on a machine whose cores are shared, a spinning shard takes CPU from the
    /// connectors and the other shard; give it a spin on dedicated cores.
    public var idleSpin: Duration
    /// How the pipeline judges freshness and trouble of each symbol's feed.
    public var health: FeedHealth.Configuration
    /// Publish every tick and trade to the output hub (off: only signals, alerts, candles, status).
    public var publishTicks: Bool

    public init(intervals: [CandleInterval] = CandleInterval.defaults, tickCapacity: Int = 1000, tradeCapacity: Int = 1000,
                candleCapacity: Int = 500, qualityThreshold: Double = 0.5, shards: Int = 2, queueCapacity: Int = 4096,
                idleSpin: Duration = .zero, health: FeedHealth.Configuration = .init(), publishTicks: Bool = true) {
        self.intervals = intervals
        self.tickCapacity = tickCapacity
        self.tradeCapacity = tradeCapacity
        self.candleCapacity = candleCapacity
        self.qualityThreshold = qualityThreshold
        self.shards = max(1, shards)
        self.queueCapacity = max(16, queueCapacity)
        self.idleSpin = max(.zero, idleSpin)
        self.health = health
        self.publishTicks = publishTicks
    }
}

extension PipelineConfiguration {
    /// ``idleSpin`` in nanoseconds.
    var idleSpinNanoseconds: UInt64 {
        let (seconds, attoseconds) = idleSpin.components
        return UInt64(seconds) &* 1_000_000_000 &+ UInt64(attoseconds / 1_000_000_000)
    }
}
