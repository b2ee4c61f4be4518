import NIOCore

/// One WebSocket connection's driver. Frames are handled on the socket's event loop as they
/// are read (``receive(_:)``, called by the ``FrameSocket``), so an event reaches the sink
/// without waiting for a task to be scheduled; ticks, commands and snapshot replies come through the inbox to the loop task
/// (``run(_:group:)``), which also carries out the work either of them queues (sends,
/// in order; snapshot fetches; closing). Both change the ``ConnectionState`` under one lock,
/// held for one input at a time.
final class ConnectionLoop<Session: VenueSession>: Sendable {
    private let state: Locked<ConnectionState<Session>>
    private let connector: LiveConnector<Session>
    private let outbound: FrameSocket
    private let inbox: AsyncStream<ConnectionInput>.Continuation

    /// A loop for a socket that just opened, whose session subscribes to `wanted` (before any
    /// frame is handled).
    init(connector: LiveConnector<Session>, connection: Int, session: Session, plan: ConnectionPlan, sink: any MarketEventSink,
         outbound: FrameSocket, inbox: AsyncStream<ConnectionInput>.Continuation, wanted: [CanonicalSymbol]) {
        var initial = ConnectionState(connector: connector, connection: connection, session: session, plan: plan, sink: sink)
        initial.opened(symbols: wanted)
        state = Locked(initial)
        self.connector = connector
        self.outbound = outbound
        self.inbox = inbox
    }

    /// Whether any frame arrived, and whether the connection was closed because it fell silent.
    var outcome: (receivedFrames: Bool, fellSilent: Bool) { state.withLock { ($0.receivedFrames, $0.fellSilent) } }

    /// Handles one message, on the socket's loop; messages after the loop ended are ignored.
    func receive(_ message: ByteBuffer) {
        if state.withLock({ $0.receive(message) }) { inbox.yield(.work) }
    }

    /// Runs until the connection closes or must be replaced; returns why.
    func run(_ inputs: AsyncStream<ConnectionInput>, group: inout TaskGroup<Void>) async -> String {
        defer { state.withLock { $0.finished = true } }
        if let reason = await carryOut(&group) { return reason }
        for await input in inputs {
            if let reason = state.withLock({ $0.handle(input) }) { return reason }
            if let reason = await carryOut(&group) { return reason }
        }
        return "the connector was stopped"
    }

    /// Carries out the queued work; returns a reason when the connection must close.
    private func carryOut(_ group: inout TaskGroup<Void>) async -> String? {
        let work = state.withLock { $0.takeWork() }
        guard !work.isEmpty else { return nil }
        for message in work.sends {
            do {
                try await outbound.send(message)
            } catch {
                return "sending failed: \(error)"
            }
        }
        for (symbol, url) in work.snapshots {
            let rest = connector.rest
            let inbox = self.inbox
            group.addTask {
                do throws(TransportError) {
                    inbox.yield(.snapshot(symbol, .success(try await rest.get(url))))
                } catch {
                    inbox.yield(.snapshot(symbol, .failure(error)))
                }
            }
        }
        return work.close
    }
}
