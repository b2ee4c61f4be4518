import HummingbirdWSClient

/// Everything one connection's loop reacts to, merged into one stream so a single task owns
/// the session: frames, timer ticks, run-time (un)subscriptions and REST snapshot replies.
enum ConnectionInput: Sendable {
    case frame(WebSocketMessage)
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
