/// A keepalive's content.
public struct Heartbeat: Sendable, Equatable {
    /// Coinbase's `heartbeat_counter`; nil elsewhere.
    public var counter: UInt64?

    public init(counter: UInt64? = nil) {
        self.counter = counter
    }
}

/// What the server said about the new connection.
public struct ConnectionInfo: Sendable, Equatable {
    /// KuCoin's `connectId` echo, Kraken's `connection_id` (above `Int64.max`, so text).
    public var connectionID: String?
    /// Kraken's `system` state: `online`, `maintenance`, `cancel_only`, `post_only`.
    public var status: String?
    /// The server's API version, when sent.
    public var version: String?

    public init(connectionID: String? = nil, status: String? = nil, version: String? = nil) {
        self.connectionID = connectionID
        self.status = status
        self.version = version
    }
}

/// A subscription acknowledgement.
public struct Subscription: Sendable, Equatable {
    /// The channels or streams the ack names (Coinbase lists all current ones).
    public var channels: [String]
    /// The symbols the ack names.
    public var symbols: [CanonicalSymbol]
    /// The id of the request being answered, as text.
    public var requestID: String?

    public init(channels: [String] = [], symbols: [CanonicalSymbol] = [], requestID: String? = nil) {
        self.channels = channels
        self.symbols = symbols
        self.requestID = requestID
    }
}

/// An error the exchange sent (as opposed to a frame we could not decode).
public struct ExchangeMessageError: Sendable, Equatable {
    /// The exchange's error code as text, when it sends one.
    public var code: String?
    public var message: String
    /// The id of the request that failed, as text.
    public var requestID: String?

    public init(code: String? = nil, message: String, requestID: String? = nil) {
        self.code = code
        self.message = message
        self.requestID = requestID
    }
}
