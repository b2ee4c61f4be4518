import Model

/// Where a shadow version and the live one disagreed on one symbol.
public struct ShadowComparison: Sendable, Hashable {
    public var liveVersion: Int
    public var shadowVersion: Int
    /// Events both versions processed.
    public var events = 0
    /// Events where they returned different levels (or one returned none).
    public var levelDifferences = 0
    /// Events where different alert conditions were true.
    public var alertDifferences = 0
    /// The latest differences, oldest first.
    public var recent: [ShadowDifference] = []

    init(liveVersion: Int, shadowVersion: Int) {
        self.liveVersion = liveVersion
        self.shadowVersion = shadowVersion
    }

    mutating func record(_ difference: ShadowDifference, keep: Int) {
        recent.append(difference)
        if recent.count > keep { recent.removeFirst(recent.count - keep) }
    }
}

/// One event on which live and shadow disagreed.
public struct ShadowDifference: Sendable, Hashable {
    public var time: Int64
    /// `tick` or the candle interval.
    public var trigger: String
    public var liveLevel: RatingLevel?
    public var shadowLevel: RatingLevel?
    /// Alert conditions that were true, by name.
    public var liveAlerts: [String]
    public var shadowAlerts: [String]
}
