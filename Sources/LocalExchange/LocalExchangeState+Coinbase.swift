import Exchanges

extension LocalExchangeState {
    /// `{"type":"subscribe","product_ids":[...],"channel":"level2"}` → the `subscriptions`
    /// ack listing everything the connection now has (as Coinbase does), then the frames
    /// scripted for each product; a refused product gets Coinbase's error instead.
    func coinbaseReplies(_ message: [String: Any], client: Int) -> [String] {
        let type = message["type"] as? String ?? ""
        let channel = message["channel"] as? String ?? ""
        let products = (message["product_ids"] as? [String] ?? []).compactMap { CanonicalSymbol($0) }
        switch type {
        case "subscribe":
            if let refused = products.first(where: isRejected) {
                return [#"{"type":"error","message":"Failed to subscribe","reason":"\#(refused.base)-\#(refused.quote) is not a valid product"}"#]
            }
            if channel == "heartbeats" { setHeartbeats(client) }
            var frames: [String] = []
            for product in products { frames += subscribed(client, channel, product) }
            return [subscriptionsAck(client)] + frames
        case "unsubscribe":
            for product in products { unsubscribed(client, channel, product) }
            return [subscriptionsAck(client)]
        default:
            return [#"{"type":"error","message":"unknown message type"}"#]
        }
    }

    private func subscriptionsAck(_ client: Int) -> String {
        var byChannel: [String: [String]] = [:]
        for key in subscriptions(of: client) {
            let parts = key.split(separator: "|", maxSplits: 1).map(String.init)
            guard parts.count == 2, let symbol = CanonicalSymbol(parts[1]) else { continue }
            byChannel[parts[0], default: []].append("\(symbol.base)-\(symbol.quote)")
        }
        if receivesHeartbeats(client) { byChannel["heartbeats"] = [] }
        let body = byChannel.keys.sorted().map { channel in
            let products = byChannel[channel]!.sorted().map { "\"\($0)\"" }.joined(separator: ",")
            return "\"\(channel)\":[\(products)]"
        }.joined(separator: ",")
        return #"{"channel":"subscriptions","timestamp":"2026-08-09T21:05:48.228846629Z","sequence_num":0,"events":[{"subscriptions":{\#(body)}}]}"#
    }
}
