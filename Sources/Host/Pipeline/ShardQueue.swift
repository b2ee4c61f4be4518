import Foundation
import Synchronization

/// A shard's inbox: producers append under a lock, the shard's thread takes everything
/// queued in one swap of buffers (``ShardBuffer``; inputs are moved, never copied). Bounded: a
/// producer finding it full waits (backpressure to the connector, so a replay running flat out
/// cannot outrun the pipeline or lose events).
///
/// An idle shard first spins for up to `idleSpin` nanoseconds, watching the queued count
/// without the lock, and only then parks on a semaphore: an event arriving within the spin is
/// taken without the wake-up a parked thread needs (a futex call by the producer and a thread
/// switch on the shard's core, several µs and the bulk of the queue's latency tail), and a
/// producer that finds the shard spinning makes no system call. A shard with nothing to do
/// parks after the spin, so an idle pipeline uses no CPU.
final class ShardQueue: @unchecked Sendable {
    /// Guards the buffers and flags; producers waiting for room wait on it.
    private let condition = NSCondition()
    /// Where the consumer parks; signalled once for each time it parks.
    private let wake = DispatchSemaphore(value: 0)
    private var items: ShardBuffer
    private let capacity: Int
    private let idleSpin: UInt64
    /// Inputs queued: written under the lock, read without it by the spinning consumer.
    private let queued = Atomic<Int>(0)
    private var stopped = false
    private var consumerParked = false
    private var producersWaiting = 0
    /// Times a producer had to wait (read under the lock by ``waits``).
    private var waitCount: UInt64 = 0

    /// - Parameters:
    ///   - capacity: events held before producers wait.
    ///   - idleSpin: nanoseconds the consumer spins on an empty queue before parking (0: park at once).
    init(capacity: Int, idleSpin: UInt64 = 0) {
        self.capacity = capacity
        self.idleSpin = idleSpin
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
        queued.store(items.count, ordering: .releasing)
        let parked = consumerParked
        consumerParked = false
        condition.unlock()
        if parked { wake.signal() }
    }

    /// Swaps everything queued into `batch` (which must be empty), waiting for at least one
    /// item (spinning first, then parked). Returns false once stopped and empty.
    func take(into batch: inout ShardBuffer) -> Bool {
        if idleSpin > 0 && queued.load(ordering: .acquiring) == 0 { spin() }
        condition.lock()
        while items.isEmpty && !stopped {
            consumerParked = true
            condition.unlock()
            wake.wait()
            condition.lock()
        }
        if items.isEmpty {
            condition.unlock()
            return false
        }
        swap(&items, &batch)
        queued.store(0, ordering: .releasing)
        let producers = producersWaiting > 0
        condition.unlock()
        if producers { condition.broadcast() }
        return true
    }

    /// Waits up to `idleSpin` ns for something to be queued, without the lock or a system call
    /// (the clock is read every 64 checks).
    private func spin() {
        let deadline = monotonicNanoseconds() &+ idleSpin
        var checks = 0
        while queued.load(ordering: .relaxed) == 0 {
            checks &+= 1
            if checks & 63 == 0 && monotonicNanoseconds() >= deadline { return }
        }
    }

    /// Wakes everyone; later puts are ignored, the consumer finishes what is queued.
    func stop() {
        condition.lock()
        stopped = true
        let parked = consumerParked
        consumerParked = false
        condition.unlock()
        condition.broadcast()
        if parked { wake.signal() }
    }
}
