extension Kraken {
    /// Public v2 channels.
    public enum Channel: Sendable, Hashable {
        /// Best bid/ask and 24 h statistics; `bbo` sends on every best-price change, `trades`
        /// (Kraken's default, used when nil) on every trade.
        case ticker(eventTrigger: TickerTrigger? = nil)
        case trade
        /// Book of `depth` levels a side (10, 25, 100, 500 or 1000; Kraken's default 10 when nil).
        case book(depth: Int? = nil)
        /// Every pair's reference data, precisions included (no symbol list).
        case instrument

        public enum TickerTrigger: String, Sendable, Hashable {
            case bbo
            case trades
        }

        var name: String {
            switch self {
            case .ticker: "ticker"
            case .trade: "trade"
            case .book: "book"
            case .instrument: "instrument"
            }
        }
    }

    /// Request messages.
    public enum Requests {
        /// `{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":10},"req_id":7}`.
        /// Kraken answers once per symbol.
        public static func subscribe(_ channel: Channel, _ symbols: [CanonicalSymbol], snapshot: Bool? = nil,
                                     requestID: Int? = nil) -> String {
            request("subscribe", channel, symbols, snapshot: snapshot, requestID: requestID)
        }

        /// The same shape with `unsubscribe`.
        public static func unsubscribe(_ channel: Channel, _ symbols: [CanonicalSymbol], requestID: Int? = nil) -> String {
            request("unsubscribe", channel, symbols, snapshot: nil, requestID: requestID)
        }

        /// `{"method":"ping","req_id":101}`; send about every 30 s.
        public static func ping(requestID: Int) -> String {
            var json = JSONWriter()
            json.beginObject()
            json.key("method")
            json.string("ping")
            json.key("req_id")
            json.number(requestID)
            json.endObject()
            return json.text
        }

        private static func request(_ method: String, _ channel: Channel, _ symbols: [CanonicalSymbol], snapshot: Bool?,
                                    requestID: Int?) -> String {
            let mapping = Symbols()
            var json = JSONWriter()
            json.beginObject()
            json.key("method")
            json.string(method)
            json.key("params")
            json.beginObject()
            json.key("channel")
            json.string(channel.name)
            if channel != .instrument {
                json.key("symbol")
                json.strings(symbols.map(mapping.native))
            }
            switch channel {
            case let .book(depth?):
                json.key("depth")
                json.number(depth)
            case let .ticker(trigger?):
                json.key("event_trigger")
                json.string(trigger.rawValue)
            default:
                break
            }
            if let snapshot {
                json.key("snapshot")
                json.bool(snapshot)
            }
            json.endObject()
            if let requestID {
                json.key("req_id")
                json.number(requestID)
            }
            json.endObject()
            return json.text
        }
    }
}
