import AsyncHTTPClient
import Logging
import NIOCore
import NIOPosix

/// The machinery every live connector shares: the reconnect loop with backoff, the wanted
/// symbols, feed health, and one ``ConnectionLoop`` per WebSocket connection driving the
/// exchange's ``VenueSession``. Symbols beyond what one connection may carry (Binance: 1024
/// streams) go to further connections, each with its own reconnect loop; a connection's
/// failures (reconnects, silence, undecodable frames) count on its own symbols only, and
/// an extra connection left without symbols closes until symbols are added to it again.
final class LiveConnector<Session: VenueSession>: Sendable {
    let configuration: Session.Configuration
    let settings: ConnectionSettings
    let logger: Logger
    let rest: RESTClient
    let shared: Locked<SharedState>
    private let random: Locked<any RandomNumberGenerator & Sendable>
    /// Symbols one connection carries at most (Binance: 1024 streams); nil for no limit.
    private let symbolsPerConnection: Int?

    /// State other tasks read: the symbols wanted, their health, the connections.
    struct SharedState {
        var wanted: [CanonicalSymbol] = []
        var health: [CanonicalSymbol: FeedHealth] = [:]
        /// The connections; the first always runs, others start when the ones before are full
        /// and stop when they carry nothing.
        var connections: [Connection] = [Connection()]
        /// Starts the task of a connection added while ``run(sink:)`` runs.
        var starter: AsyncStream<Int>.Continuation?
        /// Symbols whose book has been in sync at least once (a later sync is a resync).
        var everSynced: Set<CanonicalSymbol> = []

        /// The index of the connection carrying `symbol`.
        func connection(of symbol: CanonicalSymbol) -> Int? {
            connections.firstIndex { $0.symbols.contains(symbol) }
        }

        /// Forgets `symbols` (unsubscribed or refused): returns, per connection, those it carried.
        mutating func remove(_ symbols: [CanonicalSymbol]) -> [Int: [CanonicalSymbol]] {
            var removed: [Int: [CanonicalSymbol]] = [:]
            for symbol in symbols where health.removeValue(forKey: symbol) != nil {
                wanted.removeAll { $0 == symbol }
                guard let index = connection(of: symbol) else { continue }
                connections[index].symbols.removeAll { $0 == symbol }
                removed[index, default: []].append(symbol)
            }
            return removed
        }
    }

    /// One WebSocket connection's share of the symbols, and its inbox while it is open.
    struct Connection {
        var symbols: [CanonicalSymbol] = []
        var inbox: AsyncStream<ConnectionInput>.Continuation?
        /// Whether its task runs (false once an idle extra connection has stopped).
        var running = true
    }

    init(configuration: Session.Configuration, settings: ConnectionSettings, httpClient: HTTPClient, logger: Logger,
         random: some RandomNumberGenerator & Sendable) {
        self.configuration = configuration
        self.settings = settings
        var logger = logger
        logger[metadataKey: "exchange.name"] = .string(Session.exchange.rawValue)
        self.logger = logger
        self.rest = RESTClient(client: httpClient, timeout: settings.requestTimeout)
        self.shared = Locked(SharedState())
        self.random = Locked(random)
        self.symbolsPerConnection = Session.maximumSymbolsPerConnection(configuration)
    }

    var keepsBooks: Bool { Session.keepsBooks(configuration) }

    /// Adds symbols to the first connections with room, opening more connections as needed.
    func subscribe(_ symbols: [CanonicalSymbol]) {
        shared.withLock { state in
            var added: [Int: [CanonicalSymbol]] = [:]
            for symbol in symbols where state.health[symbol] == nil {
                state.wanted.append(symbol)
                state.health[symbol] = FeedHealth(configuration: settings.health, isBookInSync: !keepsBooks)
                let limit = symbolsPerConnection ?? .max
                let index: Int
                if let room = state.connections.firstIndex(where: { $0.symbols.count < limit }) {
                    index = room
                    if !state.connections[room].running {
                        state.connections[room].running = true
                        state.starter?.yield(room)
                    }
                } else {
                    state.connections.append(Connection())
                    index = state.connections.count - 1
                    state.starter?.yield(index)
                }
                state.connections[index].symbols.append(symbol)
                added[index, default: []].append(symbol)
            }
            for (index, symbols) in added { state.connections[index].inbox?.yield(.subscribe(symbols)) }
        }
    }

    /// Removes symbols from their connections. The first connection stays open for symbols
    /// added later; an extra one left with no symbols closes.
    func unsubscribe(_ symbols: [CanonicalSymbol]) {
        shared.withLock { state in
            for (index, removed) in state.remove(symbols) {
                state.connections[index].inbox?.yield(.unsubscribe(removed))
                if index > 0, state.connections[index].symbols.isEmpty { state.connections[index].inbox?.yield(.retire) }
            }
        }
    }

    func symbols() -> [CanonicalSymbol] { shared.withLock { $0.wanted } }

    func health() -> [CanonicalSymbol: FeedHealth] { shared.withLock { $0.health } }

    /// `symbol`'s book as its connection holds it now, answered by the connection's own task
    /// between two inputs: it equals the book the events delivered so far describe. Nil when
    /// the connection is not open or the book is not kept or not in sync.
    func book(for symbol: CanonicalSymbol) async -> OrderBook? {
        await withCheckedContinuation { reply in
            let inbox = shared.withLock { state in state.connection(of: symbol).flatMap { state.connections[$0].inbox } }
            guard let inbox, case .enqueued = inbox.yield(.book(symbol, reply)) else {
                reply.resume(returning: nil)
                return
            }
        }
    }

    /// Runs every connection (one task each, more started as symbols are added) until the
    /// task is cancelled.
    func run(sink: any MarketEventSink) async {
        let (starts, starter) = AsyncStream.makeStream(of: Int.self)
        let running = shared.withLock { state in
            state.starter = starter
            for index in state.connections.indices { state.connections[index].running = true }
            return state.connections.count
        }
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<running { group.addTask { await self.run(connection: index, sink: sink) } }
            for await index in starts { group.addTask { await self.run(connection: index, sink: sink) } }
            group.cancelAll()
        }
        shared.withLock { $0.starter = nil }
    }

    /// Connects, runs the connection until it ends, and reconnects with backoff, until the
    /// task is cancelled.
    private func run(connection index: Int, sink: any MarketEventSink) async {
        var backoff = ReconnectBackoff(configuration: settings.backoff)
        while !Task.isCancelled, !stopsIdle(index) {
            do {
                let plan = try await Session.plan(configuration, rest: rest)
                let outcome = await connect(plan, index, sink: sink)
                if outcome.opened { disconnected(outcome, index, sink: sink) }
                if outcome.receivedFrames { backoff.reset() }
                if !outcome.opened {
                    logger.warning("connection failed", metadata: ["url": .string(plan.url), "reason": .string(outcome.reason)])
                }
            } catch {
                logger.warning("connection could not be prepared", metadata: ["reason": .string(error.description)])
            }
            if Task.isCancelled || stopsIdle(index) { break }
            let delay = random.withLock { random in backoff.nextDelay(using: &random) }
            try? await Task.sleep(for: delay)
        }
    }

    /// Whether connection `index` is an extra one with no symbols, and so stops (marked under
    /// the lock `subscribe` takes to start it again).
    private func stopsIdle(_ index: Int) -> Bool {
        guard index > 0 else { return false }
        return shared.withLock { state in
            guard state.connections[index].symbols.isEmpty else { return false }
            state.connections[index].running = false
            return true
        }
    }

    /// How a connection ended.
    struct Outcome: Sendable {
        var opened = false
        var receivedFrames = false
        /// Closed by us because nothing arrived within the silence timeout.
        var fellSilent = false
        var reason = "connection closed"
    }

    private func connect(_ plan: ConnectionPlan, _ index: Int, sink: any MarketEventSink) async -> Outcome {
        let (inputs, inbox) = AsyncStream.makeStream(of: ConnectionInput.self)
        var outcome = Outcome()
        // Messages read before the connection's loop exists wait in the relay.
        let relay = FrameRelay()
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        do throws(TransportError) {
            let socket = try await FrameSocket.connect(
                to: plan.url, maximumFrameSize: settings.maximumFrameSize, timeout: settings.requestTimeout, on: eventLoop,
                frames: { relay.deliver($0) }, ended: { inbox.yield(.closed($0)) })
            let wanted = shared.withLock { state in
                state.connections[index].inbox = inbox
                return state.connections[index].symbols
            }
            outcome.opened = true
            let loop = ConnectionLoop(connector: self, connection: index, session: Session(configuration: configuration, plan: plan),
                                      plan: plan, sink: sink, outbound: socket, inbox: inbox, wanted: wanted)
            try? await eventLoop.submit { relay.attach { loop.receive($0) } }.get()
            let tick = settings.tickInterval
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: tick)
                        inbox.yield(.tick)
                    }
                }
                outcome.reason = await loop.run(inputs, group: &group)
                let ended = loop.outcome
                outcome.receivedFrames = ended.receivedFrames
                outcome.fellSilent = ended.fellSilent
                await socket.close()
                group.cancelAll()
            }
        } catch {
            outcome.reason = error.description
        }
        shared.withLock { $0.connections[index].inbox = nil }
        inbox.finish()
        // Answer the book requests the loop did not get to.
        for await input in inputs {
            if case let .book(_, reply) = input { reply.resume(returning: nil) }
        }
        return outcome
    }

    /// Reports a closed connection to each of its symbols (symbols on other connections are
    /// untouched): its book is out of sync until the next connection rebuilds it, and it
    /// counts a reconnect (and a silence, when that was why).
    private func disconnected(_ outcome: Outcome, _ index: Int, sink: any MarketEventSink) {
        let now = WallClock.milliseconds()
        let symbols = shared.withLock { state in
            let symbols = state.connections[index].symbols
            for symbol in symbols {
                state.health[symbol]?.record(.reconnect, at: now)
                if outcome.fellSilent { state.health[symbol]?.record(.silence, at: now) }
                if keepsBooks { state.health[symbol]?.isBookInSync = false }
            }
            return symbols
        }
        logger.info("disconnected", metadata: ["reason": .string(outcome.reason), "connection": .stringConvertible(index)])
        for symbol in symbols {
            sink.receive(MarketEvent(exchange: Session.exchange, symbol: symbol, eventTime: nil, receiveTime: now,
                                     payload: .disconnected(reason: outcome.reason)))
        }
    }
}
