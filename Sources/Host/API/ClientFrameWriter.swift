import NIOConcurrencyHelpers
import NIOCore
import NIOWebSocket

/// One `/realtime/ws` client's bounded queue, written straight to its channel on the channel's
/// event loop: a publisher queues a message and, when no write is pending, asks the loop once to
/// drain; the drain numbers the messages (`seq`), writes a frame for each and flushes once. So a
/// burst of messages costs one wake-up of the loop and one flush, and no task, stream or
/// asynchronous writer sits between the broadcaster and the socket.
///
/// Backpressure is the channel's writability: while the socket does not take more, messages
/// stay in this queue, which holds at most the broadcaster's capacity; past it the broadcaster
/// drops and counts (``Broadcaster``), the next drain first tells the client how many it missed
/// (`dropped`), and an evicted client gets a last `dropped` message and then ``eviction``
/// completes with the total, for the server to close the connection (1008).
final class ClientFrameWriter: BroadcastSink, @unchecked Sendable {
    let id: UInt64
    private let channel: any Channel
    private let broadcaster: Broadcaster
    /// Completed with the messages dropped in all when the client is evicted, or with 0 when
    /// the writer is closed first (the client left).
    let eviction: EventLoopFuture<Int>
    private let evicted: EventLoopPromise<Int>

    /// Guards the fields below up to `seq`.
    private let lock = NIOLock()
    private var queue: [BroadcastMessage] = []
    /// Messages queued or taken by a drain and not yet written: at most the capacity.
    private var held = 0
    private var drainScheduled = false
    private var finished = false
    private var closed = false

    /// Loop only: the client's message count, the drain's batch (its storage reused), and
    /// whether a drain runs (a write or flush can report writability, which drains, within it)
    /// or must run again when it ends.
    private var seq: Int64 = 0
    private var batch: [BroadcastMessage] = []
    private var draining = false
    private var drainAgain = false

    init(id: UInt64, channel: any Channel, broadcaster: Broadcaster) {
        self.id = id
        self.channel = channel
        self.broadcaster = broadcaster
        evicted = channel.eventLoop.makePromise(of: Int.self)
        eviction = evicted.futureResult
    }

    func offer(_ message: BroadcastMessage) -> Bool {
        let schedule: Bool
        lock.lock()
        if finished || closed {
            lock.unlock()
            return true
        }
        if held >= broadcaster.capacity {
            lock.unlock()
            return false
        }
        queue.append(message)
        held += 1
        schedule = !drainScheduled
        drainScheduled = true
        lock.unlock()
        if schedule { channel.eventLoop.execute { self.drain() } }
        return true
    }

    func finish() {
        lock.lock()
        finished = true
        let schedule = !drainScheduled
        drainScheduled = true
        lock.unlock()
        if schedule { channel.eventLoop.execute { self.drain() } }
    }

    /// The client is gone or served: completes ``eviction`` with 0 unless it already completed.
    func close() {
        lock.lock()
        let first = !closed
        closed = true
        lock.unlock()
        if first { evicted.succeed(0) }
    }

    /// The socket takes writes again: drain what waited.
    private func writable() {
        lock.lock()
        let waiting = held > 0
        lock.unlock()
        if waiting { drain() }
    }

    /// On the loop: writes what is queued while the socket takes it, then flushes once; again
    /// if the socket became writable meanwhile.
    private func drain() {
        guard !draining else {
            drainAgain = true
            return
        }
        draining = true
        repeat {
            drainAgain = false
            drainOnce()
        } while drainAgain
        draining = false
    }

    private func drainOnce() {
        lock.lock()
        swap(&queue, &batch)
        drainScheduled = false
        let finished = finished
        lock.unlock()
        let drops = broadcaster.takeDropped(id)
        if drops.evicted {
            evict(total: drops.total)
            return
        }
        if finished {
            batch.removeAll(keepingCapacity: true)
            return
        }
        if drops.dropped > 0 {
            write(RealtimeWebSocket.reply("dropped", ["dropped": .int(drops.dropped), "reason": .string("your queue was full")]))
        }
        var written = 0
        while written < batch.count, channel.isWritable {
            write(batch[written])
            written += 1
        }
        channel.flush()
        lock.lock()
        held -= written
        if written < batch.count { queue.insert(contentsOf: batch[written...], at: 0) }
        lock.unlock()
        batch.removeAll(keepingCapacity: true)
    }

    /// The last message of an evicted client: how many it missed in all (the dropped ones and
    /// those still queued), then ``eviction`` completes for the server to close.
    private func evict(total dropped: Int) {
        lock.lock()
        let unsent = held
        held = 0
        queue.removeAll()
        let first = !closed
        closed = true
        lock.unlock()
        batch.removeAll()
        guard first else { return }
        let total = dropped + unsent
        write(RealtimeWebSocket.reply("dropped", [
            "dropped": .int(total),
            "reason": .string("too slow: the queue of \(broadcaster.capacity) messages overflowed; disconnecting"),
        ]))
        channel.flush()
        evicted.succeed(total)
    }

    private func write(_ message: BroadcastMessage) {
        seq += 1
        let frame = RealtimeWebSocket.frame(message, seq: seq, allocator: channel.allocator)
        channel.write(WebSocketFrame(fin: true, opcode: .text, data: frame), promise: nil)
    }

    /// Sits at the end of the client's pipeline and tells the writer when the socket takes
    /// writes again.
    final class WritabilityWatch: ChannelInboundHandler {
        typealias InboundIn = WebSocketFrame

        private let writer: ClientFrameWriter

        init(writer: ClientFrameWriter) {
            self.writer = writer
        }

        func channelWritabilityChanged(context: ChannelHandlerContext) {
            if context.channel.isWritable { writer.writable() }
            context.fireChannelWritabilityChanged()
        }
    }
}
