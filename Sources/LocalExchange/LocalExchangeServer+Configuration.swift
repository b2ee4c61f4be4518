extension LocalExchangeServer {
    /// Timing of what the server sends on its own, every field with a default.
    public struct Configuration: Sendable {
        /// Binance: the WebSocket ping period (the server closes a client whose pong is late).
        public var webSocketPingInterval: Duration
        /// Coinbase `heartbeats` and Kraken `heartbeat` period; nil sends none.
        public var heartbeatInterval: Duration?
        /// KuCoin: the `pingInterval` and `pingTimeout` the token reply announces.
        public var kucoinPingInterval: Duration
        public var kucoinPingTimeout: Duration
        /// Binance: the messages a connection may send in any second; one more and the server
        /// closes it, as Binance does. Nil lets everything through.
        public var binanceMessagesPerSecond: Int?

        public init(webSocketPingInterval: Duration = .seconds(20), heartbeatInterval: Duration? = .seconds(1),
                    kucoinPingInterval: Duration = .seconds(18), kucoinPingTimeout: Duration = .seconds(10),
                    binanceMessagesPerSecond: Int? = 5) {
            self.webSocketPingInterval = webSocketPingInterval
            self.heartbeatInterval = heartbeatInterval
            self.kucoinPingInterval = kucoinPingInterval
            self.kucoinPingTimeout = kucoinPingTimeout
            self.binanceMessagesPerSecond = binanceMessagesPerSecond
        }
    }
}
