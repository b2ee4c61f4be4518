extension KuCoin {
    /// One KuCoin connection: a fresh token from `bullet-public` for every connection, nothing
    /// sent before `welcome`, topics of up to 100 symbols (a refused topic is retried symbol by
    /// symbol, so one bad symbol is the only one dropped), `ping` every `pingInterval`, books
    /// synced from the REST snapshot.
    struct Session: VenueSession {
        static var exchange: Exchange { .kucoin }

        private let configuration: ConnectorConfiguration
        private let mapping = Symbols()
        private var decoder = MessageDecoder()
        private var books = SnapshotSyncedBooks<BookStateMachine>()
        private var events: [MarketEvent] = []
        private var nextRequestID = 1
        /// Symbols waiting for `welcome`, then nil.
        private var awaitingWelcome: [CanonicalSymbol]? = []
        /// Symbols of each request not yet answered, by request id.
        private var pending: [String: [CanonicalSymbol]] = [:]

        static func plan(_ configuration: ConnectorConfiguration, rest: RESTClient) async throws(TransportError) -> ConnectionPlan {
            let url = configuration.restURL + "/api/v1/bullet-public"
            let body = try await rest.post(url)
            let token: ConnectToken
            do {
                token = try ConnectToken(json: body)
            } catch {
                throw .invalidReply(url, error.description)
            }
            let server = token.servers[0]
            let connectID = String(UInt64.random(in: 1..<UInt64.max), radix: 36)
            let interval = Duration.milliseconds(server.pingInterval)
            return ConnectionPlan(url: token.url(connectID: connectID),
                                  silenceTimeout: configuration.silenceTimeout ?? interval + .milliseconds(server.pingTimeout),
                                  pingInterval: interval, maximumAge: nil, sendLimit: configuration.messageLimit)
        }

        static func keepsBooks(_ configuration: ConnectorConfiguration) -> Bool { configuration.books }

        static func maximumSymbolsPerConnection(_ configuration: ConnectorConfiguration) -> Int? {
            max(configuration.maximumSubscriptionsPerConnection / max(configuration.topics.count, 1), 1)
        }

        init(configuration: ConnectorConfiguration, plan: ConnectionPlan) {
            self.configuration = configuration
        }

        mutating func opened(symbols: [CanonicalSymbol], into output: inout SessionOutput) {
            awaitingWelcome = symbols
        }

        mutating func subscribe(_ symbols: [CanonicalSymbol], into output: inout SessionOutput) {
            if awaitingWelcome != nil {
                awaitingWelcome! += symbols
                return
            }
            for topic in configuration.topics {
                for start in stride(from: 0, to: symbols.count, by: Requests.maximumSymbolsPerTopic) {
                    let chunk = Array(symbols[start..<min(start + Requests.maximumSymbolsPerTopic, symbols.count)])
                    let id = requestID()
                    pending[id] = chunk
                    output.send(Requests.subscribe(topic: Requests.topics(topic, chunk, mapping: mapping)[0], id: id))
                }
            }
            if configuration.books { symbols.forEach { books.add($0) } }
        }

        mutating func unsubscribe(_ symbols: [CanonicalSymbol], into output: inout SessionOutput) {
            symbols.forEach { books.remove($0) }
            awaitingWelcome?.removeAll { symbols.contains($0) }
            guard awaitingWelcome == nil else { return }
            for topic in configuration.topics {
                for text in Requests.topics(topic, symbols, mapping: mapping) {
                    output.send(Requests.unsubscribe(topic: text, id: requestID()))
                }
            }
        }

        mutating func receive(_ frame: UnsafeRawBufferPointer, receivedAt: Int64,
                              into output: inout SessionOutput) throws(ExchangeDecodeError) {
            events.removeAll(keepingCapacity: true)
            try decoder.decode(frame, receivedAt: receivedAt, into: &events)
            for event in events {
                switch event.payload {
                case let .bookDelta(delta):
                    books.receiveDelta(event, delta, into: &output)
                case .connected:
                    output.emit(event)
                    let waiting = awaitingWelcome ?? []
                    awaitingWelcome = nil
                    subscribe(waiting, into: &output)
                case let .subscribed(subscription):
                    guard let id = subscription.requestID, let symbols = pending.removeValue(forKey: id) else { continue }
                    var acknowledged = subscription
                    acknowledged.symbols = symbols
                    output.emit(MarketEvent(exchange: .kucoin, symbol: nil, eventTime: nil, receiveTime: receivedAt,
                                            payload: .subscribed(acknowledged)))
                case let .error(error):
                    guard let id = error.requestID, let symbols = pending.removeValue(forKey: id) else {
                        output.emit(event)
                        continue
                    }
                    if symbols.count == 1 {
                        books.remove(symbols[0])
                        output.rejected.append((symbols[0], "\(error.code.map { "\($0) " } ?? "")\(error.message)"))
                    } else {
                        for symbol in symbols { resubscribeAlone(symbol, into: &output) }
                    }
                case .other:
                    continue
                default:
                    output.emit(event)
                }
            }
        }

        /// Asks again for one symbol of a refused batch, on every topic (the refused one is
        /// not named; the others answer `ack` again for what is already subscribed).
        private mutating func resubscribeAlone(_ symbol: CanonicalSymbol, into output: inout SessionOutput) {
            for topic in configuration.topics {
                let id = requestID()
                pending[id] = [symbol]
                output.send(Requests.subscribe(topic: Requests.topics(topic, [symbol], mapping: mapping)[0], id: id))
            }
        }

        mutating func ping() -> String? { Requests.ping(id: requestID()) }

        func book(for symbol: CanonicalSymbol) -> OrderBook? { books.book(for: symbol) }

        func snapshotURL(for symbol: CanonicalSymbol) -> String? {
            configuration.restURL + configuration.snapshotPath + "?symbol=" + mapping.native(symbol)
        }

        mutating func receiveSnapshot(_ body: [UInt8], for symbol: CanonicalSymbol, receivedAt: Int64,
                                      into output: inout SessionOutput) throws(ExchangeDecodeError) {
            events.removeAll(keepingCapacity: true)
            try body.withUnsafeBytes { bytes in
                Result { () throws(ExchangeDecodeError) in try decoder.decode(bytes, receivedAt: receivedAt, into: &events) }
            }.get()
            guard let event = events.first, case let .bookSnapshot(snapshot) = event.payload else {
                var reason = "the reply is not a level2 snapshot"
                if let event = events.first, case let .error(error) = event.payload { reason = "KuCoin refused: \(error.message)" }
                throw ExchangeDecodeError(.kucoin, FieldError("data", reason))
            }
            books.receiveSnapshot(event, snapshot, for: symbol, into: &output)
        }

        private mutating func requestID() -> String {
            defer { nextRequestID += 1 }
            return String(nextRequestID)
        }
    }
}

extension KuCoin.BookStateMachine: SnapshotSyncedBook {
    init() { self.init(maximumBuffered: 1000) }
    mutating func receiveDelta(_ delta: BookUpdate, last: UInt64) -> BookSyncAction { receiveDelta(delta, sequenceEnd: last) }
}

