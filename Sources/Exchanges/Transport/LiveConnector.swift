import AsyncHTTPClient
import HummingbirdWSClient
import Logging

/// The machinery every live connector shares: the reconnect loop with backoff, the wanted
/// symbols, feed health, and one ``ConnectionLoop`` per WebSocket connection driving the
/// exchange's ``VenueSession``.
final class LiveConnector<Session: VenueSession>: Sendable {
    let configuration: Session.Configuration
    let settings: ConnectionSettings
    let logger: Logger
    let rest: RESTClient
    let shared: Locked<SharedState>
    private let random: Locked<any RandomNumberGenerator & Sendable>

    /// State other tasks read: the symbols wanted, their health, the open connection's inbox.
    struct SharedState {
        var wanted: [CanonicalSymbol] = []
        var health: [CanonicalSymbol: FeedHealth] = [:]
        var inbox: AsyncStream<ConnectionInput>.Continuation?
        /// Symbols whose book has been in sync at least once (a later sync is a resync).
        var everSynced: Set<CanonicalSymbol> = []
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
    }

    var keepsBooks: Bool { Session.keepsBooks(configuration) }

    func subscribe(_ symbols: [CanonicalSymbol]) {
        shared.withLock { state in
            var added: [CanonicalSymbol] = []
            for symbol in symbols where state.health[symbol] == nil {
                state.wanted.append(symbol)
                state.health[symbol] = FeedHealth(configuration: settings.health, isBookInSync: !keepsBooks)
                added.append(symbol)
            }
            if !added.isEmpty { state.inbox?.yield(.subscribe(added)) }
        }
    }

    func unsubscribe(_ symbols: [CanonicalSymbol]) {
        shared.withLock { state in
            let removed = symbols.filter { state.health.removeValue(forKey: $0) != nil }
            guard !removed.isEmpty else { return }
            state.wanted.removeAll { removed.contains($0) }
            state.inbox?.yield(.unsubscribe(removed))
        }
    }

    func symbols() -> [CanonicalSymbol] { shared.withLock { $0.wanted } }

    func health() -> [CanonicalSymbol: FeedHealth] { shared.withLock { $0.health } }

    /// Connects, runs the connection until it ends, and reconnects with backoff, until the
    /// task is cancelled.
    func run(sink: any MarketEventSink) async {
        var backoff = ReconnectBackoff(configuration: settings.backoff)
        while !Task.isCancelled {
            do {
                let plan = try await Session.plan(configuration, rest: rest)
                let outcome = await connect(plan, sink: sink)
                if outcome.opened { disconnected(outcome, sink: sink) }
                if outcome.receivedFrames { backoff.reset() }
                if !outcome.opened {
                    logger.warning("connection failed", metadata: ["url": .string(plan.url), "reason": .string(outcome.reason)])
                }
            } catch {
                logger.warning("connection could not be prepared", metadata: ["reason": .string(error.description)])
            }
            if Task.isCancelled { break }
            let delay = random.withLock { random in backoff.nextDelay(using: &random) }
            try? await Task.sleep(for: delay)
        }
    }

    /// How a connection ended.
    struct Outcome: Sendable {
        var opened = false
        var receivedFrames = false
        var reason = "connection closed"
    }

    private func connect(_ plan: ConnectionPlan, sink: any MarketEventSink) async -> Outcome {
        let (inputs, inbox) = AsyncStream.makeStream(of: ConnectionInput.self)
        let outcome = Locked(Outcome())
        let client = WebSocketClientConfiguration(maxFrameSize: settings.maximumFrameSize, closeTimeout: .seconds(1))
        do {
            try await WebSocketClient.connect(url: plan.url, configuration: client, logger: logger) { inbound, outbound, _ in
                let wanted = self.shared.withLock { state in
                    state.inbox = inbox
                    return state.wanted
                }
                outcome.withLock { $0.opened = true }
                let loop = ConnectionLoop(connector: self, session: Session(configuration: self.configuration, plan: plan),
                                          plan: plan, sink: sink, outbound: outbound, inbox: inbox)
                let maximumSize = self.settings.maximumFrameSize
                let tick = self.settings.tickInterval
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        do {
                            for try await message in inbound.messages(maxSize: maximumSize) { inbox.yield(.frame(message)) }
                            inbox.yield(.closed("the server closed the connection"))
                        } catch {
                            inbox.yield(.closed("the connection failed: \(error)"))
                        }
                    }
                    group.addTask {
                        while !Task.isCancelled {
                            try? await Task.sleep(for: tick)
                            inbox.yield(.tick)
                        }
                    }
                    var loop = loop
                    let reason = await loop.run(inputs, wanted: wanted, group: &group)
                    outcome.withLock {
                        $0.reason = reason
                        $0.receivedFrames = loop.receivedFrames
                    }
                    try? await outbound.close(.normalClosure, reason: nil)
                    group.cancelAll()
                }
            }
        } catch {
            outcome.withLock { if !$0.opened { $0.reason = "\(error)" } }
        }
        shared.withLock { $0.inbox = nil }
        inbox.finish()
        return outcome.withLock { $0 }
    }

    /// Reports a closed connection: every book is out of sync until the next connection
    /// rebuilds it, and every symbol counts a reconnect.
    private func disconnected(_ outcome: Outcome, sink: any MarketEventSink) {
        let now = WallClock.milliseconds()
        shared.withLock { state in
            for symbol in state.wanted {
                state.health[symbol]?.record(.reconnect, at: now)
                if keepsBooks { state.health[symbol]?.isBookInSync = false }
            }
        }
        logger.info("disconnected", metadata: ["reason": .string(outcome.reason)])
        sink.receive(MarketEvent(exchange: Session.exchange, symbol: nil, eventTime: nil, receiveTime: now,
                                 payload: .disconnected(reason: outcome.reason)))
    }
}
