extension Binance {
    /// A market stream of one symbol.
    public struct Stream: Sendable, Hashable {
        public enum Kind: Sendable, Hashable {
            /// Every trade (`@trade`).
            case trade
            /// Trades aggregated by taker order (`@aggTrade`).
            case aggregateTrade
            /// Rolling 24 h statistics with best bid/ask, every second (`@ticker`).
            case ticker
            /// Best bid/ask on every change (`@bookTicker`).
            case bookTicker
            /// Depth diffs every 100 ms (`@depth@100ms`) or every second (`@depth`).
            case depth(every100ms: Bool)
            /// Top 5, 10 or 20 levels as a partial snapshot (`@depth10@100ms`).
            case partialDepth(levels: Int, every100ms: Bool)
        }

        public var symbol: CanonicalSymbol
        public var kind: Kind

        public init(_ symbol: CanonicalSymbol, _ kind: Kind) {
            self.symbol = symbol
            self.kind = kind
        }

        /// The stream name, e.g. `btcusdt@depth@100ms`.
        public func name(_ symbols: Symbols = Symbols()) -> String {
            let prefix = symbols.streamName(symbol)
            switch kind {
            case .trade: return prefix + "@trade"
            case .aggregateTrade: return prefix + "@aggTrade"
            case .ticker: return prefix + "@ticker"
            case .bookTicker: return prefix + "@bookTicker"
            case let .depth(fast): return prefix + (fast ? "@depth@100ms" : "@depth")
            case let .partialDepth(levels, fast): return prefix + "@depth\(levels)" + (fast ? "@100ms" : "")
            }
        }
    }

    /// Control messages and paths.
    public enum Requests {
        /// `{"method":"SUBSCRIBE","params":[...],"id":1}`; answered by `{"result":null,"id":1}`.
        public static func subscribe(_ streams: [String], id: Int) -> String {
            request("SUBSCRIBE", streams, id: id)
        }

        /// `{"method":"UNSUBSCRIBE","params":[...],"id":312}`.
        public static func unsubscribe(_ streams: [String], id: Int) -> String {
            request("UNSUBSCRIBE", streams, id: id)
        }

        /// The combined-stream path, `/stream?streams=btcusdt@trade/btcusdt@depth@100ms`.
        public static func combinedStreamPath(_ streams: [String]) -> String {
            "/stream?streams=" + streams.joined(separator: "/")
        }

        /// The REST depth snapshot path; `limit` up to 5000 (weight 5 up to 100 levels, 25 up
        /// to 500, 50 up to 1000, 250 beyond).
        public static func depthSnapshotPath(_ symbol: CanonicalSymbol, limit: Int, symbols: Symbols = Symbols()) -> String {
            "/api/v3/depth?symbol=\(symbols.native(symbol))&limit=\(limit)"
        }

        private static func request(_ method: String, _ streams: [String], id: Int) -> String {
            var json = JSONWriter()
            json.beginObject()
            json.key("method")
            json.string(method)
            json.key("params")
            json.strings(streams)
            json.key("id")
            json.number(id)
            json.endObject()
            return json.text
        }
    }
}
