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
    /// When a shard has been idle at least this long, the connector delivering its next event
    /// processes that event at once on its own thread instead of waking the shard's thread
    /// (a wake-up of a parked thread costs tens of µs on a virtual machine, several times the
    /// event's own work). The time the producer spent processing its own last event does not
    /// count against it: an event arriving at least this long after the one before it may be
    /// processed at once even if the shard finished just now, while such claims keep the
    /// producers busy less than half of the time. Events arriving closer together than this
    /// go to the shard's thread, so under load the shards still share the work across cores.
    /// nil: always hand over.
    public var callerRunsAfterIdle: Duration?
    /// An event that kept its producer longer than this (a strategy stuck until its instruction
    /// budget ran out, say) sends its shard's events to the shard's thread for a second. Over
    /// it by the wall clock, the next inline event is timed on its thread's CPU clock too, and
    /// only over it on that clock counts (preemption on a busy machine is not a slow strategy).
    public var slowCallerRun: Duration = .microseconds(500)
    /// How the pipeline judges freshness and trouble of each symbol's feed.
    public var health: FeedHealth.Configuration
    /// Publish every tick and trade to the output hub (off: only signals, alerts, candles, status).
    public var publishTicks: Bool
    /// Rehearse a candle close on each shard shortly before every candle boundary, so the first
    /// real close after it finds its code and data warm (``CloseRehearsalSettings``); nil (the
    /// default here; the daemon's configuration turns it on): never. Replays leave it off.
    public var closeRehearsal: CloseRehearsalSettings?

    public init(intervals: [CandleInterval] = CandleInterval.defaults, tickCapacity: Int = 1000, tradeCapacity: Int = 1000,
                candleCapacity: Int = 500, qualityThreshold: Double = 0.5, shards: Int = 2, queueCapacity: Int = 4096,
                idleSpin: Duration = .zero, callerRunsAfterIdle: Duration? = .microseconds(20), health: FeedHealth.Configuration = .init(), publishTicks: Bool = true,
                closeRehearsal: CloseRehearsalSettings? = nil) {
        self.intervals = intervals
        self.tickCapacity = tickCapacity
        self.tradeCapacity = tradeCapacity
        self.candleCapacity = candleCapacity
        self.qualityThreshold = qualityThreshold
        self.shards = max(1, shards)
        self.queueCapacity = max(16, queueCapacity)
        self.idleSpin = max(.zero, idleSpin)
        self.callerRunsAfterIdle = callerRunsAfterIdle.map { max(.zero, $0) }
        self.health = health
        self.publishTicks = publishTicks
        self.closeRehearsal = closeRehearsal
    }
}

extension PipelineConfiguration {
    /// ``idleSpin`` in nanoseconds.
    var idleSpinNanoseconds: UInt64 { Self.nanoseconds(idleSpin) }

    /// ``slowCallerRun`` in nanoseconds.
    var slowCallerRunNanoseconds: UInt64 { Self.nanoseconds(slowCallerRun) }

    /// ``callerRunsAfterIdle`` in nanoseconds.
    var callerRunsAfterIdleNanoseconds: UInt64? { callerRunsAfterIdle.map(Self.nanoseconds) }

    /// `duration` in whole nanoseconds (zero or positive).
    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(seconds) &* 1_000_000_000 &+ UInt64(attoseconds / 1_000_000_000)
    }
}
