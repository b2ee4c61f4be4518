extension Binance {
    /// One Binance connection: combined streams at `/stream`, `SUBSCRIBE` in batches (a batch
    /// Binance refuses is retried symbol by symbol, so one bad symbol is the only one dropped),
    /// books synced from the REST snapshot, `serverShutdown` answered by reconnecting. Binance's
    /// WebSocket pings are answered by the WebSocket client.
    struct Session: VenueSession {
        static var exchange: Exchange { .binance }

        private let configuration: ConnectorConfiguration
        private var decoder: MessageDecoder
        private var books = SnapshotSyncedBooks<BookStateMachine>()
        private var events: [MarketEvent] = []
        private var nextRequestID = 1
        /// Symbols of each `SUBSCRIBE` not yet answered, by request id.
        private var pending: [String: [CanonicalSymbol]] = [:]

        static func plan(_ configuration: ConnectorConfiguration, rest: RESTClient) async throws(TransportError) -> ConnectionPlan {
            ConnectionPlan(url: configuration.webSocketURL + "/stream", silenceTimeout: configuration.silenceTimeout,
                           pingInterval: nil, maximumAge: configuration.maximumConnectionAge, sendLimit: configuration.messageLimit)
        }

        static func keepsBooks(_ configuration: ConnectorConfiguration) -> Bool { configuration.books }

        static func maximumSymbolsPerConnection(_ configuration: ConnectorConfiguration) -> Int? {
            max(configuration.maximumStreamsPerConnection / max(configuration.streamKinds.count, 1), 1)
        }

        init(configuration: ConnectorConfiguration, plan: ConnectionPlan) {
            self.configuration = configuration
            decoder = MessageDecoder(symbols: configuration.symbols)
        }

        mutating func opened(symbols: [CanonicalSymbol], into output: inout SessionOutput) {
            output.emit(MarketEvent(exchange: .binance, symbol: nil, eventTime: nil, receiveTime: WallClock.milliseconds(),
                                    payload: .connected(ConnectionInfo())))
            subscribe(symbols, into: &output)
        }

        mutating func subscribe(_ symbols: [CanonicalSymbol], into output: inout SessionOutput) {
            let batch = max(configuration.streamsPerRequest / max(configuration.streamKinds.count, 1), 1)
            for start in stride(from: 0, to: symbols.count, by: batch) {
                let chunk = Array(symbols[start..<min(start + batch, symbols.count)])
                let id = nextRequestID
                nextRequestID += 1
                pending[String(id)] = chunk
                output.send(Requests.subscribe(chunk.flatMap(configuration.streams), id: id))
                if configuration.books { chunk.forEach { books.add($0) } }
            }
        }

        mutating func unsubscribe(_ symbols: [CanonicalSymbol], into output: inout SessionOutput) {
            guard !symbols.isEmpty else { return }
            symbols.forEach { books.remove($0) }
            output.send(Requests.unsubscribe(symbols.flatMap(configuration.streams), id: nextRequestID))
            nextRequestID += 1
        }

        mutating func receive(_ frame: UnsafeRawBufferPointer, receivedAt: Int64,
                              into output: inout SessionOutput) throws(ExchangeDecodeError) {
            events.removeAll(keepingCapacity: true)
            try decoder.decode(frame, receivedAt: receivedAt, into: &events)
            for event in events {
                switch event.payload {
                case let .bookDelta(delta):
                    books.receiveDelta(event, delta, into: &output)
                case let .subscribed(subscription):
                    guard let id = subscription.requestID, let symbols = pending.removeValue(forKey: id) else { continue }
                    output.emit(MarketEvent(exchange: .binance, symbol: nil, eventTime: nil, receiveTime: receivedAt,
                                            payload: .subscribed(Subscription(channels: symbols.flatMap(configuration.streams),
                                                                              symbols: symbols, requestID: id))))
                case let .error(error):
                    guard let id = error.requestID, let symbols = pending.removeValue(forKey: id) else {
                        output.emit(event)
                        continue
                    }
                    if symbols.count == 1 {
                        books.remove(symbols[0])
                        output.rejected.append((symbols[0], error.message))
                    } else {
                        // Which stream Binance refused is not said: ask again one symbol at a time.
                        for symbol in symbols { subscribe([symbol], into: &output) }
                    }
                case .serverShutdown:
                    output.emit(event)
                    output.reconnect = "Binance announced a server shutdown"
                case .other:
                    continue
                default:
                    output.emit(event)
                }
            }
        }

        func book(for symbol: CanonicalSymbol) -> OrderBook? { books.book(for: symbol) }

        func snapshotURL(for symbol: CanonicalSymbol) -> String? {
            configuration.restURL + Requests.depthSnapshotPath(symbol, limit: configuration.depthLimit, symbols: configuration.symbols)
        }

        mutating func receiveSnapshot(_ body: [UInt8], for symbol: CanonicalSymbol, receivedAt: Int64,
                                      into output: inout SessionOutput) throws(ExchangeDecodeError) {
            events.removeAll(keepingCapacity: true)
            try body.withUnsafeBytes { bytes in
                Result { () throws(ExchangeDecodeError) in try decoder.decode(bytes, receivedAt: receivedAt, into: &events) }
            }.get()
            guard let event = events.first, case let .bookSnapshot(snapshot) = event.payload else {
                throw ExchangeDecodeError(.binance, FieldError("lastUpdateId", "missing: the reply is not a depth snapshot"))
            }
            books.receiveSnapshot(event, snapshot, for: symbol, into: &output)
        }
    }
}

extension Binance.BookStateMachine: SnapshotSyncedBook {
    init() { self.init(maximumBuffered: 1000) }
    var sequence: UInt64? { lastUpdateID }
    mutating func receiveDelta(_ delta: BookUpdate, last: UInt64) -> BookSyncAction { receiveDelta(delta, finalUpdateID: last) }
    mutating func receiveSnapshot(_ snapshot: BookUpdate, sequence: UInt64) -> BookSyncAction {
        receiveSnapshot(snapshot, lastUpdateID: sequence)
    }
}
