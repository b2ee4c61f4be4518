/// When a shard rehearses a candle close (``PipelineConfiguration/closeRehearsal``).
///
/// The first candle close after a boundary runs on a close path gone cold since the last one:
/// the tick events in between have evicted the code and data of the model, the strategies'
/// signal branch, the signal records and the output from the core's caches, so it took two to
/// three times as long as the closes right after it. Shortly before a boundary each shard
/// therefore closes a candle of its own scratch symbol, on the thread that processes its events,
/// whose signals go nowhere; the first real close then finds that path warm.
public struct CloseRehearsalSettings: Sendable, Hashable {
    /// How long before a candle boundary, in the feed's time, events start rehearsals.
    public var lead: Duration
    /// The least wall-clock time between two rehearsals of a shard.
    public var spacing: Duration

    /// A rehearsal at most every `spacing` while events arrive within `lead` of a boundary.
    public init(lead: Duration = .seconds(1), spacing: Duration = .microseconds(250)) {
        self.lead = max(.milliseconds(1), lead)
        self.spacing = max(.zero, spacing)
    }
}
