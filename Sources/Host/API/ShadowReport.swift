/// `GET /strategies/{name}/shadow`: the shadow version and, per symbol, how often it
/// disagreed with the live version and the latest differences.
public struct ShadowReport: Sendable, Hashable, Codable {
    public var name: String
    public var liveHash: String
    public var shadowHash: String
    /// By symbol.
    public var symbols: [String: Comparison]

    public init(name: String, liveHash: String, shadowHash: String, symbols: [String: Comparison]) {
        self.name = name
        self.liveHash = liveHash
        self.shadowHash = shadowHash
        self.symbols = symbols
    }

    /// One symbol's comparison.
    public struct Comparison: Sendable, Hashable, Codable {
        public var liveVersion: Int
        public var shadowVersion: Int
        /// Events both versions processed.
        public var events: Int
        public var levelDifferences: Int
        public var alertDifferences: Int
        /// The latest differences, oldest first.
        public var recent: [Difference]

        public init(liveVersion: Int, shadowVersion: Int, events: Int, levelDifferences: Int, alertDifferences: Int, recent: [Difference]) {
            self.liveVersion = liveVersion
            self.shadowVersion = shadowVersion
            self.events = events
            self.levelDifferences = levelDifferences
            self.alertDifferences = alertDifferences
            self.recent = recent
        }
    }

    /// One event where live and shadow disagreed.
    public struct Difference: Sendable, Hashable, Codable {
        public var time: Int64
        /// `tick` or the candle interval.
        public var trigger: String
        public var liveLevel: String?
        public var shadowLevel: String?
        public var liveAlerts: [String]
        public var shadowAlerts: [String]

        public init(time: Int64, trigger: String, liveLevel: String?, shadowLevel: String?, liveAlerts: [String], shadowAlerts: [String]) {
            self.time = time
            self.trigger = trigger
            self.liveLevel = liveLevel
            self.shadowLevel = shadowLevel
            self.liveAlerts = liveAlerts
            self.shadowAlerts = shadowAlerts
        }
    }
}
