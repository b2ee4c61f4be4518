extension Kraken {
    /// One Kraken v2 connection: tickers and trades at once; a book only once its pair's
    /// precision is known (configured, or read from the `instrument` channel), because the
    /// checksum is computed at it. A checksum mismatch drops that book alone and resubscribes
    /// it; a refused symbol (Kraken answers per symbol) is dropped alone.
    struct Session: VenueSession {
        static var exchange: Exchange { .kraken }

        private let configuration: ConnectorConfiguration
        private var decoder = MessageDecoder()
        private var precisions: [CanonicalSymbol: Precision]
        private var books: [CanonicalSymbol: BookStateMachine] = [:]
        /// Book symbols waiting for the instrument snapshot.
        private var awaitingPrecision: [CanonicalSymbol] = []
        private var instrumentRequested = false
        private var refused: Set<CanonicalSymbol> = []
        private var events: [MarketEvent] = []
        private var nextRequestID = 1

        static func plan(_ configuration: ConnectorConfiguration, rest: RESTClient) async throws(TransportError) -> ConnectionPlan {
            ConnectionPlan(url: configuration.webSocketURL, silenceTimeout: configuration.silenceTimeout,
                           pingInterval: configuration.pingInterval, maximumAge: nil, sendLimit: configuration.messageLimit)
        }

        static func keepsBooks(_ configuration: ConnectorConfiguration) -> Bool { configuration.books }

        init(configuration: ConnectorConfiguration, plan: ConnectionPlan) {
            self.configuration = configuration
            precisions = configuration.precisions
        }

        mutating func opened(symbols: [CanonicalSymbol], into output: inout SessionOutput) {
            subscribe(symbols, into: &output)
        }

        mutating func subscribe(_ symbols: [CanonicalSymbol], into output: inout SessionOutput) {
            guard !symbols.isEmpty else { return }
            if configuration.tickers { output.send(Requests.subscribe(.ticker(), symbols, requestID: requestID())) }
            if configuration.trades { output.send(Requests.subscribe(.trade, symbols, snapshot: false, requestID: requestID())) }
            guard configuration.books else { return }
            let known = symbols.filter { precisions[$0] != nil }
            subscribeBooks(known, into: &output)
            let unknown = symbols.filter { precisions[$0] == nil }
            guard !unknown.isEmpty else { return }
            awaitingPrecision += unknown
            if !instrumentRequested {
                instrumentRequested = true
                output.send(Requests.subscribe(.instrument, [], requestID: requestID()))
            }
        }

        private mutating func subscribeBooks(_ symbols: [CanonicalSymbol], into output: inout SessionOutput) {
            guard !symbols.isEmpty else { return }
            for symbol in symbols {
                books[symbol] = BookStateMachine(depth: configuration.bookDepth, precision: precisions[symbol]!)
            }
            output.send(Requests.subscribe(.book(depth: configuration.bookDepth), symbols, requestID: requestID()))
        }

        mutating func unsubscribe(_ symbols: [CanonicalSymbol], into output: inout SessionOutput) {
            guard !symbols.isEmpty else { return }
            if configuration.tickers { output.send(Requests.unsubscribe(.ticker(), symbols, requestID: requestID())) }
            if configuration.trades { output.send(Requests.unsubscribe(.trade, symbols, requestID: requestID())) }
            awaitingPrecision.removeAll { symbols.contains($0) }
            let booked = symbols.filter { books.removeValue(forKey: $0) != nil }
            if !booked.isEmpty {
                output.send(Requests.unsubscribe(.book(depth: configuration.bookDepth), booked, requestID: requestID()))
            }
        }

        mutating func receive(_ frame: UnsafeRawBufferPointer, receivedAt: Int64,
                              into output: inout SessionOutput) throws(ExchangeDecodeError) {
            events.removeAll(keepingCapacity: true)
            try decoder.decode(frame, receivedAt: receivedAt, into: &events)
            for event in events {
                switch event.payload {
                case let .bookSnapshot(update):
                    guard let symbol = event.symbol, var machine = books.removeValue(forKey: symbol) else { continue }
                    handle(machine.receiveSnapshot(update), event, symbol, machine, into: &output)
                    books[symbol] = machine
                case let .bookDelta(update):
                    guard let symbol = event.symbol, var machine = books.removeValue(forKey: symbol) else { continue }
                    handle(machine.receiveUpdate(update), event, symbol, machine, into: &output)
                    books[symbol] = machine
                case let .error(error):
                    guard let symbol = event.symbol else {
                        output.emit(event)
                        continue
                    }
                    if refused.insert(symbol).inserted {
                        books[symbol] = nil
                        awaitingPrecision.removeAll { $0 == symbol }
                        output.rejected.append((symbol, error.message))
                    }
                case .other(kind: "channel instrument"):
                    try readInstruments(frame, into: &output)
                case .other:
                    continue
                default:
                    output.emit(event)
                }
            }
        }

        /// Learns precisions and subscribes the books that waited for them; a pair Kraken does
        /// not list is refused.
        private mutating func readInstruments(_ frame: UnsafeRawBufferPointer, into output: inout SessionOutput) throws(ExchangeDecodeError) {
            guard let listed = try Instruments.precisions(in: frame), !listed.isEmpty else { return }
            precisions.merge(listed) { configured, _ in configured }
            let waiting = awaitingPrecision
            awaitingPrecision = []
            subscribeBooks(waiting.filter { precisions[$0] != nil }, into: &output)
            for symbol in waiting where precisions[symbol] == nil && refused.insert(symbol).inserted {
                output.rejected.append((symbol, "Kraken's instrument list has no pair \(symbol)"))
            }
        }

        private mutating func handle(_ action: BookSyncAction, _ event: MarketEvent, _ symbol: CanonicalSymbol,
                                     _ machine: BookStateMachine, into output: inout SessionOutput) {
            switch action {
            case .applied:
                output.emit(Self.limitedToDepth(event, machine))
                if case .bookSnapshot = event.payload { output.setBook(symbol, inSync: true) }
                if machine.book.isCrossed { output.record(.crossedBook, for: symbol) }
            case let .resync(problem):
                output.resync(symbol, problem)
                let book = Channel.book(depth: configuration.bookDepth)
                output.send(Requests.unsubscribe(book, [symbol], requestID: requestID()))
                output.send(Requests.subscribe(book, [symbol], requestID: requestID()))
            case .discardedStale:
                output.record(.outOfOrder, for: symbol)
            case .none, .fetchSnapshot:
                break
            }
        }

        /// The event as it applies to the depth-limited book: a snapshot deeper than the
        /// subscribed depth is replaced by the book kept; a delta gets removals for the levels
        /// it pushed out of depth.
        private static func limitedToDepth(_ event: MarketEvent, _ machine: BookStateMachine) -> MarketEvent {
            let cut = machine.fellOutOfDepth
            guard !cut.bids.isEmpty || !cut.asks.isEmpty else { return event }
            var limited = event
            switch event.payload {
            case let .bookSnapshot(snapshot):
                var kept = machine.book.update
                kept.checksum = snapshot.checksum
                limited.payload = .bookSnapshot(kept)
            case var .bookDelta(delta):
                delta.bids += cut.bids
                delta.asks += cut.asks
                limited.payload = .bookDelta(delta)
            default:
                break
            }
            return limited
        }

        func book(for symbol: CanonicalSymbol) -> OrderBook? {
            guard let machine = books[symbol], machine.isSynced else { return nil }
            return machine.book
        }

        mutating func ping() -> String? { Requests.ping(requestID: requestID()) }

        private mutating func requestID() -> Int {
            defer { nextRequestID += 1 }
            return nextRequestID
        }
    }
}
