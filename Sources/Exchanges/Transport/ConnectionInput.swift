/// What one connection's loop task reacts to besides frames (which the socket's reader task
/// hands to the session itself): timer ticks, run-time (un)subscriptions, REST snapshot
/// replies, and work a frame queued.
enum ConnectionInput: Sendable {
    /// A frame queued work (sends, snapshot fetches, a close) for the loop task.
    case work
    /// The socket closed or failed, with the reason.
    case closed(String)
    case tick
    case subscribe([CanonicalSymbol])
    case unsubscribe([CanonicalSymbol])
    /// An extra connection has no symbols left: close it (it opens again when symbols come).
    case retire
    case snapshot(CanonicalSymbol, Result<[UInt8], TransportError>)
    /// A caller asks for a symbol's current book (answered nil when it is not in sync).
    case book(CanonicalSymbol, CheckedContinuation<OrderBook?, Never>)
}
