extension KuCoin {
    /// Where and what a ``KuCoinConnector`` subscribes, every field defaulted to production.
    public struct ConnectorConfiguration: Sendable {
        /// The REST base: the token (`POST /api/v1/bullet-public`) and book snapshots.
        public var restURL: String
        /// The book snapshot path; `level2_100` is public (deeper levels stay unknown until
        /// they change), `/api/v3/market/orderbook/level2` is complete but needs an API key.
        public var snapshotPath: String
        public var tickers: Bool
        public var trades: Bool
        /// Whether to keep books (`/market/level2` synced with the REST snapshot).
        public var books: Bool
        /// Topic subscriptions (one symbol on one topic each) a connection carries; KuCoin
        /// documents 300 a connection (a 2025 error says 400). Symbols beyond go to further
        /// connections.
        public var maximumSubscriptionsPerConnection: Int
        /// Pace of subscribes and pings: KuCoin allows 100 client messages in 10 s.
        public var messageLimit: MessageRateLimit?
        /// Reconnect when nothing arrives for this long; nil: KuCoin's `pingInterval + pingTimeout`.
        public var silenceTimeout: Duration?
        public var connection: ConnectionSettings

        public init(restURL: String = "https://api.kucoin.com", snapshotPath: String = "/api/v1/market/orderbook/level2_100",
                    tickers: Bool = true, trades: Bool = true, books: Bool = true, silenceTimeout: Duration? = nil,
                    maximumSubscriptionsPerConnection: Int = 300,
                    messageLimit: MessageRateLimit? = MessageRateLimit(messages: 90, per: .seconds(10)),
                    connection: ConnectionSettings = ConnectionSettings()) {
            self.restURL = restURL
            self.snapshotPath = snapshotPath
            self.tickers = tickers
            self.trades = trades
            self.books = books
            self.silenceTimeout = silenceTimeout
            self.maximumSubscriptionsPerConnection = maximumSubscriptionsPerConnection
            self.messageLimit = messageLimit
            self.connection = connection
        }

        /// The topics every symbol gets.
        var topics: [Topic] {
            var topics: [Topic] = []
            if tickers { topics.append(.ticker) }
            if trades { topics.append(.match) }
            if books { topics.append(.level2) }
            return topics
        }
    }
}
