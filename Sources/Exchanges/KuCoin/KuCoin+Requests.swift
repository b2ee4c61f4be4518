extension KuCoin {
    /// Public spot topics.
    public enum Topic: Sendable, Hashable {
        /// Best bid/ask and last trade, every 100 ms (`/market/ticker:BTC-USDT`).
        case ticker
        /// Every symbol's ticker (`/market/ticker:all`); the symbol arrives as `subject`.
        case allTickers
        /// Trades (`/market/match:BTC-USDT`).
        case match
        /// Real-time book changes, synced with a REST snapshot (`/market/level2:BTC-USDT`).
        case level2
        /// Full top 5 or top 50 every 100 ms, no sync needed (`/spotMarket/level2Depth5:...`).
        case depth(levels: Int)

        var prefix: String {
            switch self {
            case .ticker, .allTickers: "/market/ticker"
            case .match: "/market/match"
            case .level2: "/market/level2"
            case let .depth(levels): "/spotMarket/level2Depth\(levels)"
            }
        }
    }

    /// Request messages.
    public enum Requests {
        /// Symbols one topic may list.
        public static let maximumSymbolsPerTopic = 100

        /// Topic strings for `symbols`, at most ``maximumSymbolsPerTopic`` each:
        /// `/market/level2:BTC-USDT,ETH-USDT`.
        public static func topics(_ topic: Topic, _ symbols: [CanonicalSymbol], mapping: Symbols = Symbols()) -> [String] {
            if topic == .allTickers { return [topic.prefix + ":all"] }
            return stride(from: 0, to: symbols.count, by: maximumSymbolsPerTopic).map { start in
                let chunk = symbols[start..<min(start + maximumSymbolsPerTopic, symbols.count)]
                return topic.prefix + ":" + chunk.map(mapping.native).joined(separator: ",")
            }
        }

        /// `{"id":"...","type":"subscribe","topic":"...","privateChannel":false,"response":true}`;
        /// answered by `{"id":"...","type":"ack"}`.
        public static func subscribe(topic: String, id: String) -> String {
            message("subscribe", topic: topic, id: id)
        }

        public static func unsubscribe(topic: String, id: String) -> String {
            message("unsubscribe", topic: topic, id: id)
        }

        /// `{"id":"...","type":"ping"}`; send every `pingInterval` ms.
        public static func ping(id: String) -> String {
            var json = JSONWriter()
            json.beginObject()
            json.key("id")
            json.string(id)
            json.key("type")
            json.string("ping")
            json.endObject()
            return json.text
        }

        private static func message(_ type: String, topic: String, id: String) -> String {
            var json = JSONWriter()
            json.beginObject()
            json.key("id")
            json.string(id)
            json.key("type")
            json.string(type)
            json.key("topic")
            json.string(topic)
            json.key("privateChannel")
            json.bool(false)
            json.key("response")
            json.bool(true)
            json.endObject()
            return json.text
        }
    }
}
