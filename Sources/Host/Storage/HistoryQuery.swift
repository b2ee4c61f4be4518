/// Filters and paging for signal history. Pages run newest first; pass a page's `nextCursor` as
/// `cursor` to get the next (older) one.
public struct SignalQuery: Sendable, Hashable {
    public var symbol: String?
    public var strategy: String?
    public var level: SignalLevel?
    /// Inclusive lower bound on `time`, epoch milliseconds.
    public var since: Int64?
    /// Exclusive upper bound on `time`, epoch milliseconds.
    public var until: Int64?
    /// Records per page, 1...`maximumLimit`.
    public var limit: Int
    /// Only records with an id below this.
    public var cursor: Int64?

    public init(symbol: String? = nil, strategy: String? = nil, level: SignalLevel? = nil, since: Int64? = nil,
                until: Int64? = nil, limit: Int = 100, cursor: Int64? = nil) {
        self.symbol = symbol
        self.strategy = strategy
        self.level = level
        self.since = since
        self.until = until
        self.limit = limit
        self.cursor = cursor
    }

    /// The largest page; larger requested limits are reduced to it.
    public static let maximumLimit = 10_000
}

/// Filters and paging for alerts (newest first, like `SignalQuery`).
public struct AlertQuery: Sendable, Hashable {
    public var symbol: String?
    public var strategy: String?
    public var severity: AlertSeverity?
    public var acknowledged: Bool?
    public var since: Int64?
    public var until: Int64?
    public var limit: Int
    public var cursor: Int64?

    public init(symbol: String? = nil, strategy: String? = nil, severity: AlertSeverity? = nil, acknowledged: Bool? = nil,
                since: Int64? = nil, until: Int64? = nil, limit: Int = 100, cursor: Int64? = nil) {
        self.symbol = symbol
        self.strategy = strategy
        self.severity = severity
        self.acknowledged = acknowledged
        self.since = since
        self.until = until
        self.limit = limit
        self.cursor = cursor
    }
}

/// One page of records, newest first, and the cursor of the next page (nil on the last).
public struct Page<Record: Sendable & Codable>: Sendable, Codable {
    public var items: [Record]
    public var nextCursor: Int64?

    public init(items: [Record], nextCursor: Int64?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}
