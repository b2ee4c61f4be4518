import Exchanges

extension LocalExchangeState {
    /// `{"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":1}` → `{"result":null,"id":1}`, or
    /// Binance's `{"error":{"code":2,"msg":"Invalid request: invalid stream"},"id":1}` when a
    /// stream names a refused symbol (the whole request fails, as on Binance).
    func binanceReplies(_ message: [String: Any], client: Int) -> [String] {
        let id = (message["id"] as? Int).map(String.init) ?? "null"
        let method = message["method"] as? String ?? ""
        let streams = (message["params"] as? [String] ?? []).compactMap(Self.binanceStream)
        switch method {
        case "SUBSCRIBE":
            if streams.contains(where: { isRejected($0.symbol) }) {
                return [#"{"error":{"code":2,"msg":"Invalid request: invalid stream"},"id":\#(id)}"#]
            }
            var replies = [#"{"result":null,"id":\#(id)}"#]
            for stream in streams { replies += subscribed(client, stream.channel, stream.symbol) }
            return replies
        case "UNSUBSCRIBE":
            for stream in streams { unsubscribed(client, stream.channel, stream.symbol) }
            return [#"{"result":null,"id":\#(id)}"#]
        default:
            return [#"{"error":{"code":1,"msg":"Unknown method"},"id":\#(id)}"#]
        }
    }

    /// `btcusdt@depth@100ms` → (BTC/USDT, `depth@100ms`).
    private static func binanceStream(_ name: String) -> (symbol: CanonicalSymbol, channel: String)? {
        guard let at = name.firstIndex(of: "@"),
              let symbol = Binance.Symbols().canonical(native: String(name[..<at])) else { return nil }
        return (symbol, String(name[name.index(after: at)...]))
    }
}
