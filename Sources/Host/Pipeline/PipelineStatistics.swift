import Histogram

/// Counters and latency distributions of the whole pipeline (summed over its shards).
public struct PipelineStatistics: Sendable {
    /// Market events processed.
    public var events: UInt64 = 0
    /// Events for symbols that were not started (dropped).
    public var unrouted: UInt64 = 0
    public var signals: UInt64 = 0
    public var alerts: UInt64 = 0
    public var strategyErrors: UInt64 = 0
    public var candles: UInt64 = 0
    /// Times a producer waited because a shard's queue was full.
    public var producerWaits: UInt64 = 0
    /// CPU time the shards' worker threads have used, ns (all shards together): divided into
    /// `events`, what an event costs a core, whatever else ran on it.
    public var workerCPUNanoseconds: UInt64 = 0
    /// Events a producer processed itself, on its own thread, because their shard was idle
    /// (``PipelineConfiguration/callerRunsAfterIdle``); counted in `events` as well.
    public var inlineEvents: UInt64 = 0
    /// Wall-clock time producers spent processing those events, ns (not in `workerCPUNanoseconds`).
    public var inlineNanoseconds: UInt64 = 0
    /// Candle closes rehearsed on the shards' scratch symbols (``CloseRehearsalSettings``).
    public var rehearsals: UInt64 = 0
    /// Wall-clock time the rehearsals took, ns (on whichever thread processed the shard then).
    public var rehearsalNanoseconds: UInt64 = 0
    /// Nanoseconds from an event entering the router to the end of its processing.
    public var eventLatency = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
    /// Nanoseconds from an event entering the router to its shard taking it from the queue (the
    /// part of `eventLatency` spent waiting, waking the shard's thread included).
    public var queueLatency = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
    /// Nanoseconds from the event entering the router to each signal it caused.
    public var signalLatency = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)

    public init() {}

    mutating func add(_ other: PipelineStatistics) {
        events += other.events
        unrouted += other.unrouted
        signals += other.signals
        alerts += other.alerts
        strategyErrors += other.strategyErrors
        candles += other.candles
        producerWaits += other.producerWaits
        workerCPUNanoseconds += other.workerCPUNanoseconds
        inlineEvents += other.inlineEvents
        inlineNanoseconds += other.inlineNanoseconds
        rehearsals += other.rehearsals
        rehearsalNanoseconds += other.rehearsalNanoseconds
        eventLatency.add(other.eventLatency)
        queueLatency.add(other.queueLatency)
        signalLatency.add(other.signalLatency)
    }
}
