import Foundation

/// One consumer's view of the ``OutputHub``: an async sequence of the records it asked for,
/// through a bounded queue (`capacity: .max` for a consumer that must see everything, such as
/// a replay's printer). When the queue is full the oldest record is dropped and counted,
/// so a slow consumer never holds the pipeline up and always sees the newest records.
public final class OutputSubscription: AsyncSequence, @unchecked Sendable {
    public typealias Element = PipelineRecord

    /// The channels delivered.
    public let channels: Set<OutputChannel>
    /// The symbols delivered (canonical text), nil for all.
    public let symbols: Set<String>?
    public let capacity: Int
    private let lock = NSLock()
    private var buffer: [PipelineRecord] = []
    private var head = 0  // buffer[head...] is queued
    private var count: Int { buffer.count - head }
    private var droppedCount: UInt64 = 0
    private var deliveredCount: UInt64 = 0
    private var closed = false
    private var waiter: CheckedContinuation<PipelineRecord?, Never>?
    weak var hub: OutputHub?

    init(channels: Set<OutputChannel>, symbols: Set<String>?, capacity: Int) {
        self.channels = channels
        self.symbols = symbols
        self.capacity = Swift.max(1, capacity)
    }

    /// Records dropped so far because this consumer fell behind.
    public var dropped: UInt64 { lock.withLock { droppedCount } }

    /// Records handed to this consumer so far (queued or delivered).
    public var offered: UInt64 { lock.withLock { deliveredCount } }

    /// Records waiting in the queue.
    public var queued: Int { lock.withLock { count } }

    /// Stops delivery: the hub forgets this consumer and the sequence ends after what is queued.
    public func cancel() {
        hub?.remove(self)
        let waiting: CheckedContinuation<PipelineRecord?, Never>? = lock.withLock {
            closed = true
            defer { waiter = nil }
            return waiter
        }
        waiting?.resume(returning: nil)
    }

    func wants(_ record: PipelineRecord) -> Bool {
        channels.contains(record.channel) && (symbols == nil || symbols!.contains(record.symbol))
    }

    /// Queues `record` (or hands it to a waiting consumer) without ever blocking.
    func offer(_ record: PipelineRecord) {
        lock.lock()
        guard !closed else { return lock.unlock() }
        deliveredCount &+= 1
        if let waiting = waiter {
            waiter = nil
            lock.unlock()
            waiting.resume(returning: record)
            return
        }
        if count >= capacity {
            _ = pop()
            droppedCount &+= 1
        }
        buffer.append(record)
        lock.unlock()
    }

    /// The next record, waiting for one; nil once cancelled (or the task is).
    public func next() async -> PipelineRecord? {
        if let record = lock.withLock({ pop() }) { return record }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<PipelineRecord?, Never>) in
                lock.lock()
                if let record = pop() {
                    lock.unlock()
                    continuation.resume(returning: record)
                } else if closed || Task.isCancelled {
                    lock.unlock()
                    continuation.resume(returning: nil)
                } else {
                    waiter = continuation
                    lock.unlock()
                }
            }
        } onCancel: {
            let waiting: CheckedContinuation<PipelineRecord?, Never>? = lock.withLock {
                defer { waiter = nil }
                return waiter
            }
            waiting?.resume(returning: nil)
        }
    }

    /// Takes every queued record without waiting.
    public func drain() -> [PipelineRecord] {
        lock.withLock {
            var records: [PipelineRecord] = []
            while let record = pop() { records.append(record) }
            return records
        }
    }

    private func pop() -> PipelineRecord? {
        guard head < buffer.count else { return nil }
        let record = buffer[head]
        head += 1
        if head == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024, head * 2 >= buffer.count {
            buffer.removeFirst(head)  // amortized O(1): at least half the array is consumed
            head = 0
        }
        return record
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let subscription: OutputSubscription
        public mutating func next() async -> PipelineRecord? { await subscription.next() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(subscription: self) }
}
