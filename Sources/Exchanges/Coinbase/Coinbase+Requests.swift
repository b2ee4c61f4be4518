extension Coinbase {
    /// Advanced Trade channels.
    public enum Channel: String, Sendable, CaseIterable {
        /// Sent every second; keeps the other channels open (they close after 60–90 s idle).
        case heartbeats
        case ticker
        /// The ticker every 5 s, without best bid/ask.
        case tickerBatch = "ticker_batch"
        /// Trades batched over 250 ms; the first message is a snapshot of recent trades.
        case marketTrades = "market_trades"
        /// The book: a full snapshot, then updates (delivered with `channel: "l2_data"`).
        case level2
        case candles
        case status
    }

    /// Subscription messages. Coinbase takes one channel per message, and the first must
    /// arrive within 5 s of connecting.
    public enum Requests {
        /// `{"type":"subscribe","product_ids":["BTC-USD"],"channel":"level2"}`, with an
        /// optional `jwt` (CDP key, a fresh one per message) for more reliable connections.
        public static func subscribe(_ channel: Channel, _ symbols: [CanonicalSymbol], jwt: String? = nil,
                                     mapping: Symbols = Symbols()) -> String {
            message("subscribe", channel, symbols, jwt: jwt, mapping: mapping)
        }

        /// Unsubscribes `symbols`, or the whole channel when `symbols` is empty.
        public static func unsubscribe(_ channel: Channel, _ symbols: [CanonicalSymbol], jwt: String? = nil,
                                       mapping: Symbols = Symbols()) -> String {
            message("unsubscribe", channel, symbols, jwt: jwt, mapping: mapping)
        }

        private static func message(_ type: String, _ channel: Channel, _ symbols: [CanonicalSymbol], jwt: String?,
                                    mapping: Symbols) -> String {
            var json = JSONWriter()
            json.beginObject()
            json.key("type")
            json.string(type)
            if !symbols.isEmpty {
                json.key("product_ids")
                json.strings(symbols.map(mapping.native))
            }
            json.key("channel")
            json.string(channel.rawValue)
            if let jwt {
                json.key("jwt")
                json.string(jwt)
            }
            json.endObject()
            return json.text
        }
    }
}
