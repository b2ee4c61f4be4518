/// An alert a strategy fired: its named condition went from false to true for a symbol
/// (outside the alert's cooldown). Stored with its acknowledgement state.
///
/// Encoded with snake_case keys (`acked_at`, ...) for REST, WebSocket and storage.
public struct Alert: Sendable, Hashable, Codable {
    /// Storage id (0 until stored).
    public var id: Int64
    public var symbol: String
    public var exchange: String
    /// When it fired, epoch milliseconds.
    public var time: Int64
    public var strategy: String
    /// The alert's name in the strategy's `alerts` table.
    public var name: String
    public var severity: AlertSeverity
    public var message: String
    /// The price when it fired, when known.
    public var price: Double?
    public var acknowledged: Bool
    /// When it was acknowledged, epoch milliseconds.
    public var ackedAt: Int64?

    public init(id: Int64 = 0, symbol: String, exchange: String, time: Int64, strategy: String, name: String,
                severity: AlertSeverity, message: String, price: Double? = nil,
                acknowledged: Bool = false, ackedAt: Int64? = nil) {
        self.id = id
        self.symbol = symbol
        self.exchange = exchange
        self.time = time
        self.strategy = strategy
        self.name = name
        self.severity = severity
        self.message = message
        self.price = price
        self.acknowledged = acknowledged
        self.ackedAt = ackedAt
    }
}
