extension Kraken {
    /// Decodes Kraken v2 frames: `status`, `heartbeat`, `ticker`, `trade`, `book`, subscribe and
    /// unsubscribe replies (one per symbol), `pong`, and errors. Prices and quantities are JSON
    /// numbers; their literal text is read exactly.
    public struct MessageDecoder: DocumentDecoder {
        public var exchange: Exchange { .kraken }
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
            if let channel = document.member(root, "channel") {
                let name = try document.text(channel, "channel")
                try within(name) { () throws(FieldError) in
                    try decodeChannel(name, document, root, receivedAt: receivedAt, into: &events)
                }
            } else if let method = document.member(root, "method") {
                let name = try document.text(method, "method")
                try within(name) { () throws(FieldError) in
                    try decodeReply(name, document, root, receivedAt: receivedAt, into: &events)
                }
            } else if let error = document.optional(root, "error") {
                let message = ExchangeMessageError(message: try document.text(error, "error"))
                events.append(event(nil, nil, receivedAt, .error(message)))
            } else {
                events.append(event(nil, nil, receivedAt, .other(kind: "unknown")))
            }
        }

        /// `{channel, type: snapshot|update, data: [...]}`.
        private mutating func decodeChannel(_ channel: String, _ d: JSONDocument, _ root: JSONValue, receivedAt: Int64,
                                            into events: inout [MarketEvent]) throws(FieldError) {
            switch channel {
            case "heartbeat":
                events.append(event(nil, nil, receivedAt, .heartbeat(Heartbeat())))
            case "status":
                for item in d.elements(try d.requiredArray(root, "data")) {
                    let info = ConnectionInfo(connectionID: try d.optionalIdentifier(item, "connection_id"),
                                              status: try d.optionalText(item, "system"),
                                              version: try d.optionalText(item, "version"))
                    events.append(event(nil, nil, receivedAt, .connected(info)))
                }
            case "ticker":
                for item in d.elements(try d.requiredArray(root, "data")) {
                    // Read in the order Kraken sends the fields, so each lookup starts where the last ended.
                    let symbol = try symbols.canonical(d, d.required(item, "symbol"), "symbol")
                    var ticker = Ticker(bid: try d.optionalDecimal(item, "bid"), bidSize: try d.optionalDecimal(item, "bid_qty"),
                                        ask: try d.optionalDecimal(item, "ask"), askSize: try d.optionalDecimal(item, "ask_qty"))
                    ticker.last = try d.optionalDecimal(item, "last")
                    ticker.volume24h = try d.optionalDecimal(item, "volume")
                    events.append(event(symbol, try d.optionalTimestamp(item, "timestamp"), receivedAt, .ticker(ticker)))
                }
            case "trade":
                for item in d.elements(try d.requiredArray(root, "data")) {
                    let symbol = try symbols.canonical(d, d.required(item, "symbol"), "symbol")
                    let side = try d.required(item, "side")
                    let takerSide: TradeSide
                    if d.stringEquals(side, "buy") {
                        takerSide = .buy
                    } else if d.stringEquals(side, "sell") {
                        takerSide = .sell
                    } else {
                        throw FieldError("side", "'\(d.excerpt(side))' is neither buy nor sell")
                    }
                    let price = try d.requiredDecimal(item, "price")
                    let size = try d.requiredDecimal(item, "qty")
                    let trade = Trade(price: price, size: size, takerSide: takerSide,
                                      id: try d.identifier(d.required(item, "trade_id"), "trade_id"))
                    events.append(event(symbol, try d.optionalTimestamp(item, "timestamp"), receivedAt, .trade(trade)))
                }
            case "book":
                let type = try d.required(root, "type")
                let isSnapshot = d.stringEquals(type, "snapshot")
                guard isSnapshot || d.stringEquals(type, "update") else {
                    throw FieldError("type", "'\(d.excerpt(type))' is neither snapshot nor update")
                }
                for item in d.elements(try d.requiredArray(root, "data")) {
                    let symbol = try symbols.canonical(d, d.required(item, "symbol"), "symbol")
                    var book = BookUpdate(bids: try levels(d, item, "bids"), asks: try levels(d, item, "asks"))
                    if let checksum = try d.optionalUnsigned(item, "checksum") {
                        guard let value = UInt32(exactly: checksum) else { throw FieldError("checksum", "exceeds 32 bits") }
                        book.checksum = value
                    }
                    let time = try d.optionalTimestamp(item, "timestamp")
                    events.append(event(symbol, time, receivedAt, isSnapshot ? .bookSnapshot(book) : .bookDelta(book)))
                }
            default:
                events.append(event(nil, nil, receivedAt, .other(kind: "channel \(channel)")))
            }
        }

        /// `[{"price": 0.5666, "qty": 4831.75496356}, ...]`; a missing side is empty.
        private func levels(_ d: JSONDocument, _ item: JSONValue, _ key: StaticString) throws(FieldError) -> [BookLevel] {
            guard let array = d.optional(item, key) else { return [] }
            guard d.kind(array) == .array else { throw FieldError(key, "expected an array, found \(d.kind(array).name)") }
            var levels: [BookLevel] = []
            levels.reserveCapacity(d.count(array))
            for level in d.elements(array) {
                levels.append(BookLevel(price: try d.requiredDecimal(level, "price"), size: try d.requiredDecimal(level, "qty")))
            }
            return levels
        }

        /// Replies to requests: `subscribe`/`unsubscribe` acks and failures, `pong`. Requests
        /// themselves (with `params`, or a bare `ping`) are ours echoed and carry nothing.
        private mutating func decodeReply(_ method: String, _ d: JSONDocument, _ root: JSONValue, receivedAt: Int64,
                                          into events: inout [MarketEvent]) throws(FieldError) {
            if d.member(root, "params") != nil || method == "ping" {
                events.append(event(nil, nil, receivedAt, .other(kind: "request \(method)")))
                return
            }
            let requestID = try d.optionalIdentifier(root, "req_id")
            if let success = d.optional(root, "success"), try !d.bool(success, "success") {
                let symbol = try optionalSymbol(d, root)
                let error = ExchangeMessageError(message: try d.optionalText(root, "error") ?? "\(method) failed", requestID: requestID)
                events.append(event(symbol, nil, receivedAt, .error(error)))
                return
            }
            switch method {
            case "subscribe":
                let result = try d.requiredObject(root, "result")
                let symbol = try optionalSymbol(d, result)
                let subscription = Subscription(channels: [try d.requiredText(result, "channel")],
                                                symbols: symbol.map { [$0] } ?? [], requestID: requestID)
                events.append(event(symbol, nil, receivedAt, .subscribed(subscription)))
            case "pong":
                events.append(event(nil, try d.optionalTimestamp(root, "time_out"), receivedAt, .heartbeat(Heartbeat())))
            default:
                events.append(event(try optionalSymbol(d, d.member(root, "result") ?? root), nil, receivedAt,
                                    .other(kind: method == "unsubscribe" ? "unsubscribed" : method)))
            }
        }

        private mutating func optionalSymbol(_ d: JSONDocument, _ object: JSONValue) throws(FieldError) -> CanonicalSymbol? {
            guard let value = d.optional(object, "symbol") else { return nil }
            return try symbols.canonical(d, value, "symbol")
        }

        private func event(_ symbol: CanonicalSymbol?, _ time: Int64?, _ receivedAt: Int64,
                           _ payload: MarketEvent.Payload) -> MarketEvent {
            MarketEvent(exchange: .kraken, symbol: symbol, eventTime: time, receiveTime: receivedAt, payload: payload)
        }
    }
}
