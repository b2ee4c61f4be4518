import Exchanges

extension LocalExchangeState {
    /// Kraken v2 requests: `subscribe`/`unsubscribe` answered once per symbol (a refused
    /// symbol gets `success:false` and Kraken's error), `instrument` answered with the
    /// configured precisions, `ping` with `pong`.
    func krakenReplies(_ message: [String: Any], client: Int) -> [String] {
        let method = message["method"] as? String ?? ""
        let requestID = (message["req_id"] as? Int).map { #","req_id":\#($0)"# } ?? ""
        let times = #""time_in":"2023-10-06T17:35:55.219022Z","time_out":"2023-10-06T17:35:55.219067Z""#
        let params = message["params"] as? [String: Any] ?? [:]
        let channel = params["channel"] as? String ?? ""
        let symbols = (params["symbol"] as? [String] ?? []).compactMap { CanonicalSymbol($0) }
        switch method {
        case "ping":
            return [#"{"method":"pong",\#(times)\#(requestID)}"#]
        case "subscribe" where channel == "instrument":
            setHeartbeats(client)
            let pairs = listedPrecisions.map { symbol, precision in
                #"{"symbol":"\#(symbol)","base":"\#(symbol.base)","quote":"\#(symbol.quote)","status":"online","price_precision":\#(precision.price),"qty_precision":\#(precision.quantity)}"#
            }.joined(separator: ",")
            return [#"{"method":"subscribe","result":{"channel":"instrument","snapshot":true},"success":true,\#(times)\#(requestID)}"#,
                    #"{"channel":"instrument","type":"snapshot","data":{"assets":[],"pairs":[\#(pairs)]}}"#]
        case "subscribe":
            setHeartbeats(client)
            var replies: [String] = []
            for symbol in symbols {
                if isRejected(symbol) {
                    replies.append(#"{"error":"Currency pair not supported \#(symbol)","method":"subscribe","success":false,"symbol":"\#(symbol)",\#(times)\#(requestID)}"#)
                    continue
                }
                replies.append(#"{"method":"subscribe","result":{"channel":"\#(channel)","snapshot":true,"symbol":"\#(symbol)"},"success":true,\#(times)\#(requestID)}"#)
                replies += subscribed(client, channel, symbol)
            }
            return replies
        case "unsubscribe":
            return symbols.map { symbol in
                unsubscribed(client, channel, symbol)
                return #"{"method":"unsubscribe","result":{"channel":"\#(channel)","symbol":"\#(symbol)"},"success":true,\#(times)\#(requestID)}"#
            }
        default:
            return [#"{"error":"Method not found","method":"\#(method)","success":false,\#(times)\#(requestID)}"#]
        }
    }
}
