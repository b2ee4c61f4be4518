extension Coinbase {
    /// One Coinbase Advanced Trade connection: `heartbeats` first (other channels close when
    /// idle), one subscribe per channel, `level2` books from their own snapshot. A jump in the
    /// connection-wide `sequence_num` means frames were lost, for any product: every book is
    /// dropped and `level2` resubscribed, which sends fresh snapshots.
    struct Session: VenueSession {
        static var exchange: Exchange { .coinbase }

        private let configuration: ConnectorConfiguration
        private var decoder = MessageDecoder()
        private var sequence = SequenceTracker()
        private var books: [CanonicalSymbol: BookStateMachine] = [:]
        private var events: [MarketEvent] = []

        static func plan(_ configuration: ConnectorConfiguration, rest: RESTClient) async throws(TransportError) -> ConnectionPlan {
            ConnectionPlan(url: configuration.webSocketURL, silenceTimeout: configuration.silenceTimeout, pingInterval: nil,
                           maximumAge: nil, sendLimit: configuration.messageLimit)
        }

        static func keepsBooks(_ configuration: ConnectorConfiguration) -> Bool { configuration.books }

        init(configuration: ConnectorConfiguration, plan: ConnectionPlan) {
            self.configuration = configuration
        }

        mutating func opened(symbols: [CanonicalSymbol], into output: inout SessionOutput) {
            output.emit(MarketEvent(exchange: .coinbase, symbol: nil, eventTime: nil, receiveTime: WallClock.milliseconds(),
                                    payload: .connected(ConnectionInfo())))
            output.send(Requests.subscribe(.heartbeats, []))
            subscribe(symbols, into: &output)
        }

        mutating func subscribe(_ symbols: [CanonicalSymbol], into output: inout SessionOutput) {
            guard !symbols.isEmpty else { return }
            for channel in configuration.channels { output.send(Requests.subscribe(channel, symbols)) }
            if configuration.books {
                for symbol in symbols where books[symbol] == nil { books[symbol] = BookStateMachine() }
            }
        }

        mutating func unsubscribe(_ symbols: [CanonicalSymbol], into output: inout SessionOutput) {
            guard !symbols.isEmpty else { return }
            for channel in configuration.channels { output.send(Requests.unsubscribe(channel, symbols)) }
            symbols.forEach { books[$0] = nil }
        }

        mutating func receive(_ frame: UnsafeRawBufferPointer, receivedAt: Int64,
                              into output: inout SessionOutput) throws(ExchangeDecodeError) {
            events.removeAll(keepingCapacity: true)
            try decoder.decode(frame, receivedAt: receivedAt, into: &events)
            if let number = decoder.lastFrameSequence {
                switch sequence.observe(number) {
                case .inOrder:
                    break
                case .stale:
                    output.record(.outOfOrder, for: nil)
                    return
                case let .gap(expected, received):
                    output.record(.gap, for: nil)
                    rebuildBooks(.gap(expected: expected, received: received), into: &output)
                }
            }
            for event in events {
                switch event.payload {
                case let .bookSnapshot(snapshot):
                    guard let symbol = event.symbol, var machine = books.removeValue(forKey: symbol) else { continue }
                    handle(machine.receiveSnapshot(snapshot), event, symbol, machine, into: &output)
                    books[symbol] = machine
                case let .bookDelta(delta):
                    guard let symbol = event.symbol, var machine = books.removeValue(forKey: symbol) else { continue }
                    handle(machine.receiveUpdate(delta), event, symbol, machine, into: &output)
                    books[symbol] = machine
                case .other:
                    continue
                default:
                    output.emit(event)
                }
            }
        }

        private mutating func handle(_ action: BookSyncAction, _ event: MarketEvent, _ symbol: CanonicalSymbol,
                                     _ machine: BookStateMachine, into output: inout SessionOutput) {
            switch action {
            case .applied:
                output.emit(event)
                if case .bookSnapshot = event.payload { output.setBook(symbol, inSync: true) }
                if machine.book.isCrossed { output.record(.crossedBook, for: symbol) }
            case let .resync(problem):
                output.resync(symbol, problem)
                output.send(Requests.unsubscribe(.level2, [symbol]))
                output.send(Requests.subscribe(.level2, [symbol]))
            case .discardedStale:
                output.record(.outOfOrder, for: symbol)
            case .none, .fetchSnapshot:
                break
            }
        }

        func book(for symbol: CanonicalSymbol) -> OrderBook? {
            guard let machine = books[symbol], machine.isSynced else { return nil }
            return machine.book
        }

        /// Frames were lost: drop every book and ask `level2` for new snapshots.
        private mutating func rebuildBooks(_ problem: BookSyncProblem, into output: inout SessionOutput) {
            let symbols = books.keys.sorted()
            guard !symbols.isEmpty else { return }
            for symbol in symbols {
                books[symbol]!.invalidate()
                output.setBook(symbol, inSync: false)
                output.resyncs.append((symbol, problem))
            }
            output.send(Requests.unsubscribe(.level2, symbols))
            output.send(Requests.subscribe(.level2, symbols))
        }
    }
}
