import Logging
import NIOCore

/// One WebSocket connection's session and what goes with it (spike filters, snapshot retries,
/// timers, the send throttle), changed only under ``ConnectionLoop``'s lock: frames, ticks,
/// commands and snapshots go to the session, and what it asks for is settled at once where it
/// can be (events to the sink in arrival order, after the price-spike filter; feed health;
/// logs) and queued as ``ConnectionWork`` where it must wait (sends, in order, paced by the
/// plan's ``MessageRateLimit``; REST snapshots; closing).
struct ConnectionState<Session: VenueSession>: Sendable {
    let connector: LiveConnector<Session>
    /// Which of the connector's connections this is.
    let connection: Int
    var session: Session
    let plan: ConnectionPlan
    let sink: any MarketEventSink

    private(set) var receivedFrames = false
    /// Whether the connection is being closed because it fell silent.
    private(set) var fellSilent = false
    /// Set when the loop ends: frames read after that are not handled.
    var finished = false
    private var output = SessionOutput()
    private var spikeFilters: [CanonicalSymbol: PriceSpikeFilter] = [:]
    private var snapshotsInFlight: Set<CanonicalSymbol> = []
    private var snapshotRetries: [CanonicalSymbol: ContinuousClock.Instant] = [:]
    private let openedAt = ContinuousClock.now
    private var lastFrameAt = ContinuousClock.now
    private var nextPingAt: ContinuousClock.Instant?
    private var throttle: SendThrottle
    /// What the loop task has yet to carry out, in order.
    private var work = ConnectionWork()

    init(connector: LiveConnector<Session>, connection: Int, session: Session, plan: ConnectionPlan, sink: any MarketEventSink) {
        self.connector = connector
        self.connection = connection
        self.session = session
        self.plan = plan
        self.sink = sink
        throttle = SendThrottle(limit: plan.sendLimit)
        nextPingAt = plan.pingInterval.map { openedAt + $0 }
    }

    private var logger: Logger { connector.logger }

    /// The socket opened: subscribes to `wanted`.
    mutating func opened(symbols wanted: [CanonicalSymbol]) {
        session.opened(symbols: wanted, into: &output)
        settle()
    }

    /// Handles one frame; returns whether it queued work for the loop task where there was
    /// none (queued work always has a ``ConnectionLoop`` carry-out coming).
    mutating func receive(_ message: ByteBuffer) -> Bool {
        guard !finished else { return false }
        let hadWork = !work.isEmpty
        decode(message)
        settle()
        return !hadWork && !work.isEmpty
    }

    /// Handles an input other than a frame; returns a reason to close the connection.
    mutating func handle(_ input: ConnectionInput) -> String? {
        switch input {
        case let .closed(reason):
            return reason
        case .tick:
            if let reason = tick() { return reason }
        case let .subscribe(symbols):
            session.subscribe(symbols, into: &output)
        case let .unsubscribe(symbols):
            for symbol in symbols {
                spikeFilters[symbol] = nil
                snapshotRetries[symbol] = nil
            }
            session.unsubscribe(symbols, into: &output)
        case .retire:
            return "no symbols left on this extra connection"
        case let .snapshot(symbol, result):
            snapshotsInFlight.remove(symbol)
            snapshotArrived(symbol, result)
        case let .book(symbol, reply):
            reply.resume(returning: session.book(for: symbol))
        case .work:
            break
        }
        if !output.isEmpty || !throttle.queued.isEmpty { settle() }
        return nil
    }

    /// Takes the work queued so far.
    mutating func takeWork() -> ConnectionWork {
        var taken = ConnectionWork()
        swap(&taken, &work)
        return taken
    }

    private mutating func decode(_ message: ByteBuffer) {
        receivedFrames = true
        lastFrameAt = .now
        let receivedAt = WallClock.milliseconds()
        let result = message.withUnsafeReadableBytes { bytes in
            Result { () throws(ExchangeDecodeError) in
                try session.receive(bytes, receivedAt: receivedAt, into: &output)
            }
        }
        if case let .failure(error) = result {
            output.record(.decodeError, for: nil)
            logger.warning("malformed frame skipped", metadata: ["reason": .string(error.reason),
                                                                 "excerpt": .string(TransportError.excerpt(message.readableBytesView))])
        }
    }

    private mutating func snapshotArrived(_ symbol: CanonicalSymbol, _ result: Result<[UInt8], TransportError>) {
        switch result {
        case let .success(body):
            do throws(ExchangeDecodeError) {
                try session.receiveSnapshot(body, for: symbol, receivedAt: WallClock.milliseconds(), into: &output)
                // A snapshot older than the buffered deltas: ask again, but not at once.
                if output.snapshots.contains(symbol) {
                    output.snapshots.removeAll { $0 == symbol }
                    snapshotRetries[symbol] = .now + connector.settings.snapshotRetryDelay
                }
            } catch {
                output.record(.decodeError, for: symbol)
                logger.warning("book snapshot could not be decoded", metadata: [
                    "symbol": .string(symbol.description), "reason": .string(error.reason),
                    "excerpt": .string(TransportError.excerpt(body)),
                ])
                snapshotRetries[symbol] = .now + connector.settings.snapshotRetryDelay
            }
        case let .failure(error):
            logger.warning("book snapshot request failed", metadata: ["symbol": .string(symbol.description),
                                                                      "reason": .string(error.description)])
            snapshotRetries[symbol] = .now + connector.settings.snapshotRetryDelay
        }
    }

    /// Silence, pings, the planned reconnect and snapshot retries; returns a reason to close.
    private mutating func tick() -> String? {
        let now = ContinuousClock.now
        if now - lastFrameAt > plan.silenceTimeout {
            fellSilent = true
            return "no message for \(plan.silenceTimeout) (silent connection)"
        }
        if let maximumAge = plan.maximumAge, now - openedAt > maximumAge {
            return "planned reconnect after \(maximumAge), before the exchange's own cut"
        }
        if let interval = plan.pingInterval, let due = nextPingAt, now >= due {
            if let ping = session.ping() { output.send(ping) }
            nextPingAt = now + interval
        }
        for (symbol, due) in snapshotRetries where now >= due {
            snapshotRetries[symbol] = nil
            output.requestSnapshot(symbol)
        }
        return nil
    }

    /// Settles and clears the output: events to the sink, feed health and logs now; sends,
    /// snapshot requests and a reconnect queued for the loop task.
    private mutating func settle() {
        var output = SessionOutput()
        swap(&output, &self.output)
        defer {
            output.removeAll()
            swap(&output, &self.output)  // hand the emptied buffers back for reuse
        }
        let now = WallClock.milliseconds()
        var resynced: [CanonicalSymbol] = []
        connector.shared.withLock { state in
            for (symbol, incident) in output.incidents {
                if let symbol {
                    state.health[symbol]?.record(incident, at: now)
                } else {
                    for symbol in state.connections[connection].symbols { state.health[symbol]?.record(incident, at: now) }
                }
            }
            for (symbol, inSync) in output.bookSync where state.health[symbol] != nil {
                let wasInSync = state.health[symbol]!.isBookInSync
                state.health[symbol]!.isBookInSync = inSync
                guard inSync, !wasInSync else { continue }
                if !state.everSynced.insert(symbol).inserted {
                    state.health[symbol]!.record(.resync, at: now)
                    resynced.append(symbol)
                }
            }
            _ = state.remove(output.rejected.map(\.symbol))
        }
        for event in output.events { deliver(event) }
        for symbol in resynced {
            sink.receive(MarketEvent(exchange: Session.exchange, symbol: symbol, eventTime: nil, receiveTime: now, payload: .resynced))
        }
        for (symbol, problem) in output.resyncs {
            logger.warning("book dropped, resyncing", metadata: ["symbol": .string(symbol.description),
                                                                 "reason": .string(problem.description)])
        }
        for (symbol, reason) in output.rejected {
            logger.warning("subscription rejected", metadata: ["symbol": .string(symbol.description), "reason": .string(reason)])
            sink.receive(MarketEvent(exchange: Session.exchange, symbol: symbol, eventTime: nil, receiveTime: now,
                                     payload: .error(ExchangeMessageError(message: "subscription rejected: \(reason)"))))
        }
        for message in output.messages { throttle.enqueue(message) }
        work.sends += throttle.release(at: .now)
        for symbol in output.snapshots where snapshotsInFlight.insert(symbol).inserted {
            guard let url = session.snapshotURL(for: symbol) else { continue }
            work.snapshots.append((symbol, url))
        }
        if work.close == nil, let reason = output.reconnect { work.close = reason }
    }

    /// Sends one event to the sink unless it is a price spike; counts it in feed health.
    private mutating func deliver(_ event: MarketEvent) {
        guard let symbol = event.symbol else {
            sink.receive(event)
            return
        }
        if let configuration = connector.settings.priceSpikeFilter, let price = Self.referencePrice(event.payload) {
            var filter = spikeFilters[symbol] ?? PriceSpikeFilter(configuration: configuration)
            let accepted = filter.accept(price)
            spikeFilters[symbol] = filter
            if !accepted {
                connector.shared.withLock { $0.health[symbol]?.record(.priceSpikeRejected, at: event.receiveTime) }
                logger.notice("price spike rejected", metadata: ["symbol": .string(symbol.description),
                                                                "price": .string("\(price)"),
                                                                "reference": .string("\(filter.reference ?? 0)")])
                return
            }
        }
        connector.shared.withLock { $0.health[symbol]?.recordMessage(at: event.receiveTime) }
        sink.receive(event)
    }

    /// The price a trade or ticker is checked by: the trade price, else the ticker's last,
    /// else its bid/ask midpoint.
    private static func referencePrice(_ payload: MarketEvent.Payload) -> Double? {
        switch payload {
        case let .trade(trade):
            return trade.price.doubleValue
        case let .ticker(ticker):
            if let last = ticker.last { return last.doubleValue }
            guard let bid = ticker.bid, let ask = ticker.ask else { return nil }
            return (bid.doubleValue + ask.doubleValue) / 2
        default:
            return nil
        }
    }

}

/// What a connection's state asks its loop task to carry out, in order: messages to send,
/// REST book snapshots to fetch, and a reason to close.
struct ConnectionWork: Sendable {
    var sends: [String] = []
    var snapshots: [(symbol: CanonicalSymbol, url: String)] = []
    var close: String?

    var isEmpty: Bool { sends.isEmpty && snapshots.isEmpty && close == nil }
}
