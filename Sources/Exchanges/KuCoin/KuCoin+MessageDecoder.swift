extension KuCoin {
    /// Decodes KuCoin spot frames: `welcome`, `ack`, `pong`, `error`, `message` on the ticker,
    /// match, level2 and depth topics, and the REST level2 snapshot
    /// (`{"code":"200000","data":{sequence, bids, asks}}`).
    public struct MessageDecoder: DocumentDecoder {
        public var exchange: Exchange { .kucoin }
        var tape = JSONTape()
        private var symbols: SymbolCache<Symbols>

        public init(symbols: Symbols = Symbols()) {
            self.symbols = SymbolCache(symbols)
        }

        public mutating func decode(_ frame: UnsafeRawBufferPointer, receivedAt: Int64,
                                    into events: inout [MarketEvent]) throws(ExchangeDecodeError) {
            try decodeFrame(frame, receivedAt: receivedAt, into: &events)
        }

        mutating func decode(_ document: JSONDocument, receivedAt: Int64, into events: inout [MarketEvent]) throws(FieldError) {
            let d = document
            let root = d.root
            if let type = d.member(root, "type") {
                if d.stringEquals(type, "message") {
                    try decodeMessage(d, root, receivedAt: receivedAt, into: &events)
                    return
                }
                let name = try d.text(type, "type")
                let id = try d.optionalIdentifier(root, "id")
                switch name {
                case "welcome":
                    events.append(event(nil, nil, receivedAt, .connected(ConnectionInfo(connectionID: id))))
                case "ack":
                    events.append(event(nil, nil, receivedAt, .subscribed(Subscription(requestID: id))))
                case "pong":
                    events.append(event(nil, nil, receivedAt, .heartbeat(Heartbeat())))
                case "error":
                    let error = ExchangeMessageError(code: try d.optionalIdentifier(root, "code"),
                                                     message: try d.optionalText(root, "data") ?? "error", requestID: id)
                    events.append(event(nil, nil, receivedAt, .error(error)))
                case "ping", "subscribe", "unsubscribe":
                    events.append(event(nil, nil, receivedAt, .other(kind: "request \(name)")))
                default:
                    events.append(event(nil, nil, receivedAt, .other(kind: "type \(name)")))
                }
            } else if let code = d.member(root, "code") {
                try within("REST reply") { () throws(FieldError) in try decodeREST(d, root, code, receivedAt: receivedAt, into: &events) }
            } else {
                events.append(event(nil, nil, receivedAt, .other(kind: "unknown")))
            }
        }

        /// `{"type":"message","topic":"/market/level2:BTC-USDT","subject":...,"data":{...}}`.
        private mutating func decodeMessage(_ d: JSONDocument, _ root: JSONValue, receivedAt: Int64,
                                            into events: inout [MarketEvent]) throws(FieldError) {
            let topicValue = try d.required(root, "topic")
            guard d.kind(topicValue) == .string else { throw FieldError("topic", "expected a string, found \(d.kind(topicValue).name)") }
            // `/market/level2:BTC-USDT`: the prefix names the feed, the rest the symbol.
            let topic = d.rawBytes(topicValue)
            guard let colon = topic.firstIndex(of: UInt8(ascii: ":")) else {
                events.append(event(nil, nil, receivedAt, .other(kind: "topic \(try d.text(topicValue, "topic"))")))
                return
            }
            let prefix = UnsafeRawBufferPointer(rebasing: topic[..<colon])
            let suffix = UnsafeRawBufferPointer(rebasing: topic[(colon + 1)...])
            let data = try d.requiredObject(root, "data")
            if JSONDocument.bytes(prefix, equal: "/market/ticker") {
                try within("ticker") { () throws(FieldError) in
                    // For `/market/ticker:all` the symbol is the subject.
                    let symbol = JSONDocument.bytes(suffix, equal: "all")
                        ? try symbols.canonical(d, d.required(root, "subject"), "subject")
                        : try symbols.canonical(suffix, "topic")
                    // Read in the order KuCoin sends the fields, so each lookup starts where the last ended.
                    var ticker = Ticker(ask: try d.optionalDecimal(data, "bestAsk"), askSize: try d.optionalDecimal(data, "bestAskSize"))
                    ticker.bid = try d.optionalDecimal(data, "bestBid")
                    ticker.bidSize = try d.optionalDecimal(data, "bestBidSize")
                    ticker.last = try d.optionalDecimal(data, "price")
                    let sequence = try d.optionalUnsigned(data, "sequence")
                    events.append(event(symbol, try d.optionalMilliseconds(data, "time"), receivedAt, .ticker(ticker), sequence: sequence))
                }
            } else if JSONDocument.bytes(prefix, equal: "/market/match") {
                try within("match") { () throws(FieldError) in
                    let symbol = try symbols.canonical(d, d.required(data, "symbol"), "symbol")
                    let sequence = try d.optionalUnsigned(data, "sequence")
                    let side = try d.required(data, "side")
                    guard d.stringEquals(side, "buy") || d.stringEquals(side, "sell") else {
                        throw FieldError("side", "'\(d.excerpt(side))' is neither buy nor sell")
                    }
                    let size = try d.requiredDecimal(data, "size")
                    let price = try d.requiredDecimal(data, "price")
                    // `time` is in nanoseconds.
                    let time = try d.optionalUnsigned(data, "time").map { Int64($0 / 1_000_000) }
                    let trade = Trade(price: price, size: size, takerSide: d.stringEquals(side, "buy") ? .buy : .sell,
                                      id: try d.identifier(d.required(data, "tradeId"), "tradeId"))
                    events.append(event(symbol, time, receivedAt, .trade(trade), sequence: sequence))
                }
            } else if JSONDocument.bytes(prefix, equal: "/market/level2") {
                try within("level2") { () throws(FieldError) in
                    let symbol = try symbols.canonical(suffix, "topic")
                    let changes = try d.requiredObject(data, "changes")
                    let update = BookUpdate(bids: try d.levels(d.required(changes, "bids"), "changes.bids", sequenced: true, skipZeroPrices: true),
                                            asks: try d.levels(d.required(changes, "asks"), "changes.asks", sequenced: true, skipZeroPrices: true),
                                            firstSequence: try d.requiredUnsigned(data, "sequenceStart"))
                    events.append(event(symbol, try d.optionalMilliseconds(data, "time"), receivedAt, .bookDelta(update),
                                        sequence: try d.requiredUnsigned(data, "sequenceEnd")))
                }
            } else if JSONDocument.bytes(prefix, equal: "/spotMarket/level2Depth5")
                        || JSONDocument.bytes(prefix, equal: "/spotMarket/level2Depth50") {
                try within("level2Depth") { () throws(FieldError) in
                    let symbol = try symbols.canonical(suffix, "topic")
                    let update = BookUpdate(bids: try d.levels(d.required(data, "bids"), "bids"),
                                            asks: try d.levels(d.required(data, "asks"), "asks"))
                    events.append(event(symbol, try d.optionalMilliseconds(data, "timestamp"), receivedAt, .bookSnapshot(update)))
                }
            } else {
                events.append(event(nil, nil, receivedAt, .other(kind: "topic \(String(decoding: prefix, as: UTF8.self))")))
            }
        }

        /// REST replies: the level2 snapshot, or an error code.
        private func decodeREST(_ d: JSONDocument, _ root: JSONValue, _ code: JSONValue, receivedAt: Int64,
                                into events: inout [MarketEvent]) throws(FieldError) {
            let codeText = try d.identifier(code, "code")
            guard codeText == "200000" else {
                let error = ExchangeMessageError(code: codeText, message: try d.optionalText(root, "msg") ?? "request failed")
                events.append(event(nil, nil, receivedAt, .error(error)))
                return
            }
            let data = try d.requiredObject(root, "data")
            guard d.member(data, "sequence") != nil, d.member(data, "bids") != nil else {
                events.append(event(nil, nil, receivedAt, .other(kind: d.member(data, "token") != nil ? "bullet-public" : "REST reply")))
                return
            }
            let update = BookUpdate(bids: try d.levels(d.required(data, "bids"), "bids"), asks: try d.levels(d.required(data, "asks"), "asks"))
            events.append(event(nil, try d.optionalMilliseconds(data, "time"), receivedAt, .bookSnapshot(update),
                                sequence: try d.requiredUnsigned(data, "sequence")))
        }

        private func event(_ symbol: CanonicalSymbol?, _ time: Int64?, _ receivedAt: Int64, _ payload: MarketEvent.Payload,
                           sequence: UInt64? = nil) -> MarketEvent {
            MarketEvent(exchange: .kucoin, symbol: symbol, eventTime: time, receiveTime: receivedAt, sequence: sequence, payload: payload)
        }
    }
}
