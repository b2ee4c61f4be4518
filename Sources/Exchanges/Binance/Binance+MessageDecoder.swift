extension Binance {
    /// Decodes Binance spot frames, raw (`/ws/...`) or combined (`{"stream":..., "data":...}`):
    /// `trade`, `aggTrade`, `24hrTicker`, `bookTicker`, `depthUpdate`, partial depth and REST
    /// depth snapshots (`lastUpdateId`), `serverShutdown`, request acks and errors.
    public struct MessageDecoder: DocumentDecoder {
        public var exchange: Exchange { .binance }
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
            let root = document.root
            guard document.kind(root) == .object else {
                events.append(event(nil, nil, receivedAt, .other(kind: "top-level \(document.kind(root).name)")))
                return
            }
            if let stream = document.member(root, "stream"), let data = document.member(root, "data") {
                try decodePayload(document, data, stream: stream, receivedAt: receivedAt, into: &events)
            } else {
                try decodePayload(document, root, stream: nil, receivedAt: receivedAt, into: &events)
            }
        }

        private mutating func decodePayload(_ d: JSONDocument, _ object: JSONValue, stream: JSONValue?, receivedAt: Int64,
                                            into events: inout [MarketEvent]) throws(FieldError) {
            guard d.kind(object) == .object else {
                events.append(event(nil, nil, receivedAt, .other(kind: "payload \(d.kind(object).name)")))
                return
            }
            if let type = d.member(object, "e") {
                if d.stringEquals(type, "trade") {
                    try within("trade") { () throws(FieldError) in try trade(d, object, id: "t", receivedAt, &events) }
                } else if d.stringEquals(type, "aggTrade") {
                    try within("aggTrade") { () throws(FieldError) in try trade(d, object, id: "a", receivedAt, &events) }
                } else if d.stringEquals(type, "24hrTicker") {
                    try within("24hrTicker") { () throws(FieldError) in try ticker(d, object, receivedAt, &events) }
                } else if d.stringEquals(type, "depthUpdate") {
                    try within("depthUpdate") { () throws(FieldError) in try depthUpdate(d, object, receivedAt, &events) }
                } else if d.stringEquals(type, "serverShutdown") {
                    let time = try within("serverShutdown") { () throws(FieldError) in try d.optionalMilliseconds(object, "E") }
                    events.append(event(nil, time, receivedAt, .serverShutdown))
                } else {
                    events.append(event(nil, nil, receivedAt, .other(kind: "event \(try d.text(type, "e"))")))
                }
            } else if d.member(object, "lastUpdateId") != nil {
                try within("depth snapshot") { () throws(FieldError) in
                    try depthSnapshot(d, object, stream: stream, receivedAt, &events)
                }
            } else if d.member(object, "u") != nil, d.member(object, "s") != nil, d.member(object, "b") != nil {
                try within("bookTicker") { () throws(FieldError) in try bookTicker(d, object, receivedAt, &events) }
            } else if let result = d.member(object, "result") {
                try within("response") { () throws(FieldError) in try response(d, object, result, receivedAt, &events) }
            } else if let error = d.member(object, "error") {
                try within("error") { () throws(FieldError) in try errorReply(d, object, error, receivedAt, &events) }
            } else if let method = d.member(object, "method") {
                events.append(event(nil, nil, receivedAt, .other(kind: "request \(try d.text(method, "method"))")))
            } else {
                events.append(event(nil, nil, receivedAt, .other(kind: "unknown")))
            }
        }

        private mutating func trade(_ d: JSONDocument, _ o: JSONValue, id idKey: StaticString, _ receivedAt: Int64,
                                    _ events: inout [MarketEvent]) throws(FieldError) {
            // Fields are read in the order Binance sends them: each lookup then starts where
            // the previous one ended.
            let time = try d.optionalMilliseconds(o, "E")
            let symbol = try symbols.canonical(d, d.required(o, "s"), "s")
            let id = try d.identifier(d.required(o, idKey), idKey)
            let price = try d.requiredDecimal(o, "p")
            let size = try d.requiredDecimal(o, "q")
            let buyerIsMaker = try d.bool(d.required(o, "m"), "m")
            let trade = Trade(price: price, size: size, takerSide: buyerIsMaker ? .sell : .buy, id: id)
            events.append(event(symbol, time, receivedAt, .trade(trade)))
        }

        private mutating func ticker(_ d: JSONDocument, _ o: JSONValue, _ receivedAt: Int64,
                                     _ events: inout [MarketEvent]) throws(FieldError) {
            let time = try d.optionalMilliseconds(o, "E")
            let symbol = try symbols.canonical(d, d.required(o, "s"), "s")
            var ticker = Ticker(last: try d.requiredDecimal(o, "c"))
            ticker.bid = try d.optionalDecimal(o, "b")
            ticker.bidSize = try d.optionalDecimal(o, "B")
            ticker.ask = try d.optionalDecimal(o, "a")
            ticker.askSize = try d.optionalDecimal(o, "A")
            ticker.volume24h = try d.optionalDecimal(o, "v")
            events.append(event(symbol, time, receivedAt, .ticker(ticker)))
        }

        private mutating func bookTicker(_ d: JSONDocument, _ o: JSONValue, _ receivedAt: Int64,
                                         _ events: inout [MarketEvent]) throws(FieldError) {
            let sequence = try d.requiredUnsigned(o, "u")
            let symbol = try symbols.canonical(d, d.required(o, "s"), "s")
            let ticker = Ticker(bid: try d.requiredDecimal(o, "b"), bidSize: try d.requiredDecimal(o, "B"),
                                ask: try d.requiredDecimal(o, "a"), askSize: try d.requiredDecimal(o, "A"))
            events.append(event(symbol, nil, receivedAt, .ticker(ticker), sequence: sequence))
        }

        private mutating func depthUpdate(_ d: JSONDocument, _ o: JSONValue, _ receivedAt: Int64,
                                          _ events: inout [MarketEvent]) throws(FieldError) {
            let time = try d.optionalMilliseconds(o, "E")
            let symbol = try symbols.canonical(d, d.required(o, "s"), "s")
            let first = try d.requiredUnsigned(o, "U")
            let last = try d.requiredUnsigned(o, "u")
            let update = BookUpdate(bids: try d.levels(d.required(o, "b"), "b"), asks: try d.levels(d.required(o, "a"), "a"),
                                    firstSequence: first)
            events.append(event(symbol, time, receivedAt, .bookDelta(update), sequence: last))
        }

        /// A partial-depth stream message or the REST snapshot: `{lastUpdateId, bids, asks}`.
        /// Neither names its symbol; a combined stream's name does (`nknusdt@depth5`).
        private mutating func depthSnapshot(_ d: JSONDocument, _ o: JSONValue, stream: JSONValue?, _ receivedAt: Int64,
                                            _ events: inout [MarketEvent]) throws(FieldError) {
            var symbol: CanonicalSymbol?
            if let stream {
                let name = try d.text(stream, "stream")
                symbol = try symbols.canonical(String(name.prefix { $0 != "@" }), "stream")
            }
            let update = BookUpdate(bids: try d.levels(d.required(o, "bids"), "bids"),
                                    asks: try d.levels(d.required(o, "asks"), "asks"))
            events.append(event(symbol, nil, receivedAt, .bookSnapshot(update), sequence: try d.requiredUnsigned(o, "lastUpdateId")))
        }

        /// `{"result":null,"id":1}` acknowledges (UN)SUBSCRIBE; `LIST_SUBSCRIPTIONS` answers
        /// with the stream names; other results (properties) carry no market data.
        private func response(_ d: JSONDocument, _ o: JSONValue, _ result: JSONValue, _ receivedAt: Int64,
                              _ events: inout [MarketEvent]) throws(FieldError) {
            let id = try d.optionalIdentifier(o, "id")
            switch d.kind(result) {
            case .null:
                events.append(event(nil, nil, receivedAt, .subscribed(Subscription(requestID: id))))
            case .array:
                var streams: [String] = []
                for name in d.elements(result) { streams.append(try d.text(name, "result")) }
                events.append(event(nil, nil, receivedAt, .subscribed(Subscription(channels: streams, requestID: id))))
            default:
                events.append(event(nil, nil, receivedAt, .other(kind: "response")))
            }
        }

        /// `{"error":{"code":2,"msg":"Invalid request: invalid stream"},"id":2}`.
        private func errorReply(_ d: JSONDocument, _ o: JSONValue, _ error: JSONValue, _ receivedAt: Int64,
                                _ events: inout [MarketEvent]) throws(FieldError) {
            guard d.kind(error) == .object else { throw FieldError("error", "expected an object {code, msg}") }
            let reply = ExchangeMessageError(code: try d.optionalIdentifier(error, "code"),
                                             message: try d.requiredText(error, "msg"),
                                             requestID: try d.optionalIdentifier(o, "id"))
            events.append(event(nil, nil, receivedAt, .error(reply)))
        }

        private func event(_ symbol: CanonicalSymbol?, _ time: Int64?, _ receivedAt: Int64, _ payload: MarketEvent.Payload,
                           sequence: UInt64? = nil) -> MarketEvent {
            MarketEvent(exchange: .binance, symbol: symbol, eventTime: time, receiveTime: receivedAt, sequence: sequence, payload: payload)
        }
    }
}
