import Exchanges

extension LocalExchangeState {
    /// KuCoin requests: `subscribe` to a topic of up to 100 symbols answered `ack` (or KuCoin's
    /// 404 error when the topic names a refused symbol), `unsubscribe` `ack`, `ping` `pong`.
    func kucoinReplies(_ message: [String: Any], client: Int) -> [String] {
        let id = (message["id"] as? String) ?? (message["id"] as? Int).map(String.init) ?? ""
        let type = message["type"] as? String ?? ""
        let topic = message["topic"] as? String ?? ""
        let parts = topic.split(separator: ":", maxSplits: 1).map(String.init)
        let channel = parts.first ?? ""
        let symbols = parts.count == 2 ? parts[1].split(separator: ",").compactMap { CanonicalSymbol(String($0)) } : []
        switch type {
        case "ping":
            return [#"{"id":"\#(id)","type":"pong","timestamp":1700000000000000}"#]
        case "subscribe":
            if symbols.contains(where: isRejected) {
                return [#"{"id":"\#(id)","type":"error","code":404,"data":"topic \#(topic) is not found"}"#]
            }
            var replies = [#"{"id":"\#(id)","type":"ack"}"#]
            for symbol in symbols { replies += subscribed(client, channel, symbol) }
            return replies
        case "unsubscribe":
            for symbol in symbols { unsubscribed(client, channel, symbol) }
            return [#"{"id":"\#(id)","type":"ack"}"#]
        default:
            return [#"{"id":"\#(id)","type":"error","code":415,"data":"type \#(type) is not supported"}"#]
        }
    }
}
