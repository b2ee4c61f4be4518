/// `pipeline`: per-symbol processing.
public struct PipelineSettings: Sendable, Hashable {
    /// Candle intervals built from ticks and trades (`30s`, `1m`, `5m`, `1h`, `1d`).
    public var candleIntervals: [String] = ["1m", "5m", "15m", "1h"]
    /// Ticks and trades kept per symbol.
    public var ringSize: Int = 1000
    /// Feed quality (0...1) below which signals are `unknown`.
    public var feedQualityThreshold: Double = 0.5
    /// Microseconds a shard must have been idle for the connector delivering its next event to
    /// process that event itself instead of waking the shard's thread; nil (`off`): always hand over.
    public var callerRunsAfterIdleMicroseconds: Int? = 20
    /// Milliseconds (feed time) before each candle boundary in which every shard rehearses a
    /// candle close on a scratch symbol, so the first real close finds its path warm; nil
    /// (`off`): never.
    public var closeRehearsalMilliseconds: Int? = 1000

    public init() {}

    init(reading node: ConfigNode) throws {
        try node.expectKeys(["candle_intervals", "ring_size", "feed_quality_threshold", "caller_runs_after_idle_us", "close_rehearsal_ms"])
        let intervals = try node.child("candle_intervals")
        candleIntervals = try intervals.stringList(candleIntervals)
        guard !candleIntervals.isEmpty else { throw intervals.error("needs at least one interval") }
        for interval in candleIntervals where Self.seconds(of: interval) == nil {
            throw intervals.error("'\(interval)' is not an interval; use a number and s, m, h or d (1m, 15m, 4h)")
        }
        ringSize = try node.child("ring_size").int(ringSize, in: 1...10_000_000)
        feedQualityThreshold = try node.child("feed_quality_threshold").double(feedQualityThreshold, in: 0...1)
        callerRunsAfterIdleMicroseconds = try node.child("caller_runs_after_idle_us")
            .int(callerRunsAfterIdleMicroseconds, in: 0...10_000_000, orWord: "off", expected: "microseconds (a whole number) or off")
        closeRehearsalMilliseconds = try node.child("close_rehearsal_ms")
            .int(closeRehearsalMilliseconds, in: 1...3_600_000, orWord: "off", expected: "milliseconds (a whole number from 1) or off")
    }

    /// The length of an interval like `15m` in seconds, or nil when it is not one.
    public static func seconds(of interval: String) -> Int? {
        guard let unit = interval.last, let count = Int(interval.dropLast()), count > 0 else { return nil }
        switch unit {
        case "s": return count
        case "m": return count * 60
        case "h": return count * 3600
        case "d": return count * 86_400
        default: return nil
        }
    }
}
