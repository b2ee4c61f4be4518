extension Coinbase.MessageDecoder {
    /// Top-level `type` messages: errors (both APIs) and the legacy Exchange feed.
    mutating func decodeLegacy(_ type: String, _ d: JSONDocument, _ root: JSONValue, receivedAt: Int64,
                               into events: inout [MarketEvent]) throws(FieldError) {
        let context = Envelope(time: try d.optionalTimestamp(root, "time"), receivedAt: receivedAt,
                               sequence: try d.optionalUnsigned(root, "sequence"))
        switch type {
        case "error":
            var message = try d.optionalText(root, "message") ?? "error"
            if let reason = try d.optionalText(root, "reason") { message += ": " + reason }
            events.append(context.event(nil, .error(ExchangeMessageError(message: message))))
        case "subscriptions":
            var subscription = Subscription()
            for channel in d.elements(try d.requiredArray(root, "channels")) {
                subscription.channels.append(try d.requiredText(channel, "name"))
                for product in d.elements(try d.requiredArray(channel, "product_ids")) {
                    let symbol = try symbols.canonical(d, product, "product_ids")
                    if !subscription.symbols.contains(symbol) { subscription.symbols.append(symbol) }
                }
            }
            events.append(context.event(nil, .subscribed(subscription)))
        case "snapshot":
            let symbol = try symbols.canonical(d, d.required(root, "product_id"), "product_id")
            let book = BookUpdate(bids: try d.levels(d.required(root, "bids"), "bids"),
                                  asks: try d.levels(d.required(root, "asks"), "asks"))
            events.append(context.event(symbol, .bookSnapshot(book)))
        case "l2update":
            let symbol = try symbols.canonical(d, d.required(root, "product_id"), "product_id")
            var book = BookUpdate()
            for change in d.elements(try d.requiredArray(root, "changes")) {
                var items = d.elements(change)
                guard let side = items.next(), let price = items.next(), let size = items.next() else {
                    throw FieldError("changes", "each change must be [side, price, size]")
                }
                let level = BookLevel(price: try d.decimal(price, "changes"), size: try d.decimal(size, "changes"))
                switch try Self.side(d, side, "changes") {
                case .buy: book.bids.append(level)
                case .sell: book.asks.append(level)
                }
            }
            events.append(context.event(symbol, .bookDelta(book)))
        case "ticker":
            let symbol = try symbols.canonical(d, d.required(root, "product_id"), "product_id")
            let ticker = Ticker(last: try d.optionalDecimal(root, "price"), bid: try d.optionalDecimal(root, "best_bid"),
                                bidSize: try d.optionalDecimal(root, "best_bid_size"), ask: try d.optionalDecimal(root, "best_ask"),
                                askSize: try d.optionalDecimal(root, "best_ask_size"),
                                volume24h: try d.optionalDecimal(root, "volume_24h"))
            events.append(context.event(symbol, .ticker(ticker)))
        case "match", "last_match":
            let symbol = try symbols.canonical(d, d.required(root, "product_id"), "product_id")
            let trade = Trade(price: try d.requiredDecimal(root, "price"), size: try d.requiredDecimal(root, "size"),
                              takerSide: try Self.side(d, d.required(root, "side"), "side").opposite,
                              id: try d.identifier(d.required(root, "trade_id"), "trade_id"))
            events.append(context.event(symbol, .trade(trade)))
        case "heartbeat":
            let symbol = try symbols.canonical(d, d.required(root, "product_id"), "product_id")
            events.append(context.event(symbol, .heartbeat(Heartbeat())))
        case "subscribe", "unsubscribe":
            events.append(context.event(nil, .other(kind: "request \(type)")))
        default:
            events.append(context.event(nil, .other(kind: "type \(type)")))
        }
    }
}
