@testable import Host

/// A subscriber read as an `AsyncStream`: the tests' view of what the broadcaster queues for a
/// client, its filter and its drops, without a socket.
struct BroadcastSubscription: Sendable {
    let id: UInt64
    let stream: AsyncStream<BroadcastMessage>
    let broadcaster: Broadcaster

    func update(_ change: (inout BroadcastFilter) -> Void) -> BroadcastFilter { broadcaster.update(id, change) }
    func takeDropped() -> (dropped: Int, total: Int, evicted: Bool) { broadcaster.takeDropped(id) }
    func reply(_ message: BroadcastMessage) -> Bool { broadcaster.reply(id, message) }
    func cancel() { broadcaster.remove(id) }
}

/// Queues into an `AsyncStream` holding at most the broadcaster's capacity.
struct StreamBroadcastSink: BroadcastSink {
    let id: UInt64
    let continuation: AsyncStream<BroadcastMessage>.Continuation

    func offer(_ message: BroadcastMessage) -> Bool {
        if case .dropped = continuation.yield(message) { return false }
        return true
    }

    func finish() { continuation.finish() }
}

extension Broadcaster {
    /// A new subscriber read as a stream, with an empty filter (it receives nothing until it subscribes).
    func subscribe() -> BroadcastSubscription {
        let (stream, continuation) = AsyncStream.makeStream(of: BroadcastMessage.self, bufferingPolicy: .bufferingOldest(capacity))
        let sink = subscribe { id in StreamBroadcastSink(id: id, continuation: continuation) }
        return BroadcastSubscription(id: sink.id, stream: stream, broadcaster: self)
    }
}
