/// What a replay did, for its closing summary.
public struct ReplaySummary: Sendable, Codable {
    public var symbols: [String]
    public var events: UInt64
    public var candles: UInt64
    public var signals: UInt64
    /// Signals by level name.
    public var levels: [String: UInt64]
    public var alerts: UInt64
    public var strategyErrors: UInt64
    public var seconds: Double
    public var eventsPerSecond: Double
    /// In-process latency from an event to the signal it caused, nanoseconds.
    public var signalLatencyP50Nanoseconds: UInt64
    public var signalLatencyP99Nanoseconds: UInt64
}
