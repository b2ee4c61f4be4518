extension Coinbase {
    /// Where and what a ``CoinbaseConnector`` subscribes, every field defaulted to production.
    public struct ConnectorConfiguration: Sendable {
        /// The Advanced Trade market-data WebSocket.
        public var webSocketURL: String
        public var tickers: Bool
        public var trades: Bool
        /// Whether to keep books (`level2`, which sends its own snapshot).
        public var books: Bool
        /// Pace of subscribes: Coinbase allows 8 unauthenticated messages a second per IP.
        public var messageLimit: MessageRateLimit?
        /// Reconnect when nothing arrives for this long (`heartbeats` come every second).
        public var silenceTimeout: Duration
        public var connection: ConnectionSettings

        public init(webSocketURL: String = "wss://advanced-trade-ws.coinbase.com", tickers: Bool = true, trades: Bool = true,
                    books: Bool = true, silenceTimeout: Duration = .seconds(10),
                    messageLimit: MessageRateLimit? = MessageRateLimit(messages: 6, per: .seconds(1)),
                    connection: ConnectionSettings = ConnectionSettings()) {
            self.webSocketURL = webSocketURL
            self.tickers = tickers
            self.trades = trades
            self.books = books
            self.silenceTimeout = silenceTimeout
            self.messageLimit = messageLimit
            self.connection = connection
        }

        /// The data channels every symbol gets (`heartbeats` is subscribed once per connection).
        var channels: [Channel] {
            var channels: [Channel] = []
            if tickers { channels.append(.ticker) }
            if trades { channels.append(.marketTrades) }
            if books { channels.append(.level2) }
            return channels
        }
    }
}
