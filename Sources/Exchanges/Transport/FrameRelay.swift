import NIOConcurrencyHelpers
import NIOCore

/// Hands a connection's messages to its ``ConnectionLoop``, which exists only once the socket
/// is open: messages read before it is attached wait here and go first. Both calls are made on
/// the socket's event loop, so the order of messages is kept.
final class FrameRelay: Sendable {
    private struct State {
        var target: (@Sendable (ByteBuffer) -> Void)?
        var early: [ByteBuffer] = []
    }

    private let state = NIOLockedValueBox(State())

    /// A message read from the socket.
    func deliver(_ message: ByteBuffer) {
        let target = state.withLockedValue { state -> (@Sendable (ByteBuffer) -> Void)? in
            if state.target == nil { state.early.append(message) }
            return state.target
        }
        target?(message)
    }

    /// From now on messages go to `target`, after the ones that waited.
    func attach(_ target: @escaping @Sendable (ByteBuffer) -> Void) {
        let early = state.withLockedValue { state in
            state.target = target
            defer { state.early = [] }
            return state.early
        }
        for message in early { target(message) }
    }
}
