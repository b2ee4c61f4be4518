extension Kraken {
    /// Where and what a ``KrakenConnector`` subscribes, every field defaulted to production.
    public struct ConnectorConfiguration: Sendable {
        /// The public v2 WebSocket.
        public var webSocketURL: String
        public var tickers: Bool
        public var trades: Bool
        /// Whether to keep books; each is checked by its CRC32 after every message.
        public var books: Bool
        /// Book levels a side: 10, 25, 100, 500 or 1000.
        public var bookDepth: Int
        /// Pair precisions known in advance; others come from the `instrument` channel
        /// before the pair's book is subscribed.
        public var precisions: [CanonicalSymbol: Precision]
        /// How often to send `ping`.
        public var pingInterval: Duration
        /// Pace of requests and pings. Kraken publishes no fixed rate (beyond a load-dependent
        /// one it answers "Exceeded msg rate"), so this is a cautious choice of ours.
        public var messageLimit: MessageRateLimit?
        /// Reconnect when nothing arrives for this long (heartbeats come every second).
        public var silenceTimeout: Duration
        public var connection: ConnectionSettings

        public init(webSocketURL: String = "wss://ws.kraken.com/v2", tickers: Bool = true, trades: Bool = true,
                    books: Bool = true, bookDepth: Int = 10, precisions: [CanonicalSymbol: Precision] = [:],
                    pingInterval: Duration = .seconds(30), silenceTimeout: Duration = .seconds(10),
                    messageLimit: MessageRateLimit? = MessageRateLimit(messages: 10, per: .seconds(1)),
                    connection: ConnectionSettings = ConnectionSettings()) {
            self.webSocketURL = webSocketURL
            self.tickers = tickers
            self.trades = trades
            self.books = books
            self.bookDepth = bookDepth
            self.precisions = precisions
            self.pingInterval = pingInterval
            self.silenceTimeout = silenceTimeout
            self.messageLimit = messageLimit
            self.connection = connection
        }
    }
}
