import Foundation

/// A shard's inbox: producers append under a lock, the shard's thread takes everything
/// queued in one swap of buffers (``ShardBuffer``; inputs are moved, never copied). Bounded: a producer finding it full waits (backpressure to the
/// connector, so a replay running flat out cannot outrun the pipeline or lose events).
final class ShardQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: ShardBuffer
    private let capacity: Int
    private var stopped = false
    private var consumerWaiting = false
    private var producersWaiting = 0
    /// Times a producer had to wait (read under the lock by ``waits``).
    private var waitCount: UInt64 = 0

    init(capacity: Int) {
        self.capacity = capacity
        items = ShardBuffer(capacity: capacity)
    }

    var waits: UInt64 { condition.withLock { waitCount } }

    /// Appends `item`, waiting while the queue is full unless `control` (control messages
    /// always go in, so a stop or barrier cannot deadlock behind a full queue).
    func put(_ item: consuming ShardInput, control: Bool = false) {
        condition.lock()
        if !control {
            while items.count >= capacity && !stopped {
                waitCount &+= 1
                producersWaiting += 1
                condition.wait()
                producersWaiting -= 1
            }
        }
        guard !stopped else {
            condition.unlock()
            if case .barrier(let done) = item { done() }  // nothing left to wait for
            return
        }
        items.append(item)
        if consumerWaiting { condition.broadcast() }
        condition.unlock()
    }

    /// Swaps everything queued into `batch` (which must be empty), waiting for at least one
    /// item. Returns false once stopped and empty.
    func take(into batch: inout ShardBuffer) -> Bool {
        condition.lock()
        while items.isEmpty && !stopped {
            consumerWaiting = true
            condition.wait()
            consumerWaiting = false
        }
        if items.isEmpty {
            condition.unlock()
            return false
        }
        swap(&items, &batch)
        if producersWaiting > 0 { condition.broadcast() }
        condition.unlock()
        return true
    }

    /// Wakes everyone; later puts are ignored, the consumer finishes what is queued.
    func stop() {
        condition.withLock {
            stopped = true
            condition.broadcast()
        }
    }
}
