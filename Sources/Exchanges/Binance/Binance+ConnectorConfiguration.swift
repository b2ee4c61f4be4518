extension Binance {
    /// Where and what a ``BinanceConnector`` subscribes, every field defaulted to production.
    public struct ConnectorConfiguration: Sendable {
        /// The WebSocket base; the connector opens `<base>/stream` (combined streams).
        public var webSocketURL: String
        /// The REST base for depth snapshots.
        public var restURL: String
        /// The ticker stream: `.bookTicker` (every best-price change) or `.ticker` (24 h, 1 s).
        public var ticker: Stream.Kind?
        /// The trade stream: `.trade` or `.aggregateTrade`; nil for none.
        public var trades: Stream.Kind?
        /// Whether to keep books (`@depth@100ms` synced with the REST snapshot).
        public var books: Bool
        /// Levels in the REST snapshot (weight 50 up to 1000).
        public var depthLimit: Int
        /// Streams named in one `SUBSCRIBE` (Binance allows 5 messages/s, 1024 streams a connection).
        public var streamsPerRequest: Int
        /// Streams one connection carries (Binance allows 1024); symbols beyond go to further
        /// connections.
        public var maximumStreamsPerConnection: Int
        /// Pace of what the connector sends (`SUBSCRIBE` batches). Binance allows 5 incoming
        /// messages a second per connection, pings and pongs included, and disconnects beyond
        /// it; 4 in any 2 s stays within that even when delivery bunches up by up to a second,
        /// with room for a pong.
        public var messageLimit: MessageRateLimit?
        /// Reconnect on our own before Binance's 24 h cut.
        public var maximumConnectionAge: Duration
        /// Reconnect when nothing arrives for this long.
        public var silenceTimeout: Duration
        /// Native symbol names.
        public var symbols: Symbols
        public var connection: ConnectionSettings

        public init(webSocketURL: String = "wss://stream.binance.com:9443", restURL: String = "https://api.binance.com",
                    ticker: Stream.Kind? = .bookTicker, trades: Stream.Kind? = .trade, books: Bool = true,
                    depthLimit: Int = 1000, streamsPerRequest: Int = 200,
                    maximumStreamsPerConnection: Int = 1024,
                    messageLimit: MessageRateLimit? = MessageRateLimit(messages: 4, per: .seconds(2)),
                    maximumConnectionAge: Duration = .seconds(23 * 3600 + 30 * 60), silenceTimeout: Duration = .seconds(60),
                    symbols: Symbols = Symbols(), connection: ConnectionSettings = ConnectionSettings()) {
            self.webSocketURL = webSocketURL
            self.restURL = restURL
            self.ticker = ticker
            self.trades = trades
            self.books = books
            self.depthLimit = depthLimit
            self.streamsPerRequest = streamsPerRequest
            self.maximumStreamsPerConnection = maximumStreamsPerConnection
            self.messageLimit = messageLimit
            self.maximumConnectionAge = maximumConnectionAge
            self.silenceTimeout = silenceTimeout
            self.symbols = symbols
            self.connection = connection
        }

        /// The kinds of stream every symbol gets.
        var streamKinds: [Stream.Kind] {
            var kinds: [Stream.Kind] = []
            if let ticker { kinds.append(ticker) }
            if let trades { kinds.append(trades) }
            if books { kinds.append(.depth(every100ms: true)) }
            return kinds
        }

        /// The streams of one symbol.
        func streams(_ symbol: CanonicalSymbol) -> [String] {
            streamKinds.map { Stream(symbol, $0).name(symbols) }
        }
    }
}
