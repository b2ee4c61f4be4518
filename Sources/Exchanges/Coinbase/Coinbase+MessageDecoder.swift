extension Coinbase {
    /// Decodes Coinbase frames: Advanced Trade (`heartbeats`, `ticker`, `ticker_batch`,
    /// `market_trades`, `l2_data`, `subscriptions`), errors, and the legacy Exchange feed.
    public struct MessageDecoder: DocumentDecoder {
        public var exchange: Exchange { .coinbase }
        var tape = JSONTape()
        var symbols: SymbolCache<Symbols>

        /// The `sequence_num` of the last frame decoded (nil when it had none), for
        /// ``SequenceTracker``: it counts every frame, even one whose events are empty.
        public private(set) var lastFrameSequence: UInt64?

        public init(symbols: Symbols = Symbols()) {
            self.symbols = SymbolCache(symbols)
        }

        public mutating func decode(_ frame: UnsafeRawBufferPointer, receivedAt: Int64,
                                    into events: inout [MarketEvent]) throws(ExchangeDecodeError) {
            lastFrameSequence = nil
            try decodeFrame(frame, receivedAt: receivedAt, into: &events)
        }

        mutating func decode(_ document: JSONDocument, receivedAt: Int64, into events: inout [MarketEvent]) throws(FieldError) {
            // Advanced Trade data has `channel` and no top-level `type`; errors, our own
            // requests and the legacy feed have `type`.
            let root = document.root
            if let type = document.member(root, "type") {
                let name = try document.text(type, "type")
                try within(name) { () throws(FieldError) in
                    try decodeLegacy(name, document, root, receivedAt: receivedAt, into: &events)
                }
            } else if let channel = document.member(root, "channel") {
                let name = try document.text(channel, "channel")
                try within(name) { () throws(FieldError) in
                    try decodeChannel(name, document, root, receivedAt: receivedAt, into: &events)
                }
            } else {
                events.append(Envelope(time: nil, receivedAt: receivedAt, sequence: nil).event(nil, .other(kind: "unknown")))
            }
        }

        /// An Advanced Trade envelope: `{channel, timestamp, sequence_num, events: [...]}`.
        private mutating func decodeChannel(_ channel: String, _ d: JSONDocument, _ root: JSONValue, receivedAt: Int64,
                                            into events: inout [MarketEvent]) throws(FieldError) {
            let sequence = try d.optionalUnsigned(root, "sequence_num")
            lastFrameSequence = sequence
            let time = try d.optionalTimestamp(root, "timestamp")
            let context = Envelope(time: time, receivedAt: receivedAt, sequence: sequence)
            switch channel {
            case "heartbeats":
                for item in d.elements(try d.requiredArray(root, "events")) {
                    let counter = try d.optionalUnsigned(item, "heartbeat_counter")
                    events.append(context.event(nil, .heartbeat(Heartbeat(counter: counter))))
                }
            case "ticker", "ticker_batch":
                for item in d.elements(try d.requiredArray(root, "events")) {
                    for ticker in d.elements(try d.requiredArray(item, "tickers")) {
                        try decodeTicker(d, ticker, context, into: &events)
                    }
                }
            case "market_trades":
                for item in d.elements(try d.requiredArray(root, "events")) {
                    for trade in d.elements(try d.requiredArray(item, "trades")) {
                        try decodeTrade(d, trade, context, into: &events)
                    }
                }
            case "l2_data":
                for item in d.elements(try d.requiredArray(root, "events")) {
                    try decodeBook(d, item, context, into: &events)
                }
            case "subscriptions":
                var subscription = Subscription()
                for item in d.elements(try d.requiredArray(root, "events")) {
                    try collect(d, try d.requiredObject(item, "subscriptions"), into: &subscription)
                }
                events.append(context.event(nil, .subscribed(subscription)))
            default:
                events.append(context.event(nil, .other(kind: "channel \(channel)")))
            }
        }

        private mutating func decodeTicker(_ d: JSONDocument, _ t: JSONValue, _ context: Envelope,
                                           into events: inout [MarketEvent]) throws(FieldError) {
            // Read in the order Coinbase sends the fields, so each lookup starts where the last ended.
            let symbol = try symbols.canonical(d, d.required(t, "product_id"), "product_id")
            var ticker = Ticker(last: try d.optionalDecimal(t, "price"))
            ticker.volume24h = try d.optionalDecimal(t, "volume_24_h")
            ticker.bid = try d.optionalDecimal(t, "best_bid")
            ticker.ask = try d.optionalDecimal(t, "best_ask")
            ticker.bidSize = try d.optionalDecimal(t, "best_bid_quantity")
            ticker.askSize = try d.optionalDecimal(t, "best_ask_quantity")
            events.append(context.event(symbol, .ticker(ticker)))
        }

        /// `side` is the maker's side (Coinbase docs), so the taker's is the opposite.
        private mutating func decodeTrade(_ d: JSONDocument, _ t: JSONValue, _ context: Envelope,
                                          into events: inout [MarketEvent]) throws(FieldError) {
            let symbol = try symbols.canonical(d, d.required(t, "product_id"), "product_id")
            let id = try d.identifier(d.required(t, "trade_id"), "trade_id")
            let price = try d.requiredDecimal(t, "price")
            let size = try d.requiredDecimal(t, "size")
            let time = try d.optionalTimestamp(t, "time")
            let makerSide = try Self.side(d, d.required(t, "side"), "side")
            var event = context.event(symbol, .trade(Trade(price: price, size: size, takerSide: makerSide.opposite, id: id)))
            event.eventTime = time ?? context.time
            events.append(event)
        }

        /// `{type: snapshot|update, product_id, updates: [{side: bid|offer, price_level, new_quantity}]}`.
        private mutating func decodeBook(_ d: JSONDocument, _ item: JSONValue, _ context: Envelope,
                                         into events: inout [MarketEvent]) throws(FieldError) {
            let symbol = try symbols.canonical(d, d.required(item, "product_id"), "product_id")
            let type = try d.required(item, "type")
            let updates = try d.requiredArray(item, "updates")
            var book = BookUpdate()
            for update in d.elements(updates) {
                let side = try d.required(update, "side")
                let level = BookLevel(price: try d.requiredDecimal(update, "price_level"),
                                      size: try d.requiredDecimal(update, "new_quantity"))
                if d.stringEquals(side, "bid") {
                    book.bids.append(level)
                } else if d.stringEquals(side, "offer") {
                    book.asks.append(level)
                } else {
                    throw FieldError("updates[].side", "'\(d.excerpt(side))' is neither bid nor offer")
                }
            }
            if d.stringEquals(type, "snapshot") {
                events.append(context.event(symbol, .bookSnapshot(book)))
            } else if d.stringEquals(type, "update") {
                events.append(context.event(symbol, .bookDelta(book)))
            } else {
                throw FieldError("type", "'\(d.excerpt(type))' is neither snapshot nor update")
            }
        }

        /// `{"market_trades": ["BTC-USD", ...], ...}`: every channel with its products.
        private mutating func collect(_ d: JSONDocument, _ object: JSONValue, into subscription: inout Subscription) throws(FieldError) {
            for (channel, products) in d.members(object) {
                subscription.channels.append(try d.text(channel, "subscriptions"))
                for product in d.elements(products) {
                    let symbol = try symbols.canonical(d, product, "subscriptions")
                    if !subscription.symbols.contains(symbol) { subscription.symbols.append(symbol) }
                }
            }
        }

        /// `BUY`/`SELL` (Advanced Trade) or `buy`/`sell` (legacy).
        static func side(_ d: JSONDocument, _ value: JSONValue, _ field: StaticString) throws(FieldError) -> TradeSide {
            if d.stringEquals(value, "BUY") || d.stringEquals(value, "buy") { return .buy }
            if d.stringEquals(value, "SELL") || d.stringEquals(value, "sell") { return .sell }
            throw FieldError(field, "'\(d.excerpt(value))' is neither buy nor sell")
        }

        /// What every event of one frame shares.
        struct Envelope {
            let time: Int64?
            let receivedAt: Int64
            let sequence: UInt64?

            func event(_ symbol: CanonicalSymbol?, _ payload: MarketEvent.Payload) -> MarketEvent {
                MarketEvent(exchange: .coinbase, symbol: symbol, eventTime: time, receiveTime: receivedAt,
                            sequence: sequence, payload: payload)
            }
        }
    }
}
