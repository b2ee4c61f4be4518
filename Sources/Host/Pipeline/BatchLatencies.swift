/// A shard's per-event latencies of one batch, kept locally and added to the shared
/// histograms under one lock at the end of the batch. Its storage is allocated once: appending
/// is two stores, with no uniqueness or capacity check of an array.
struct BatchLatencies: ~Copyable {
    /// Pairs (ns waited in the queue, ns to the end of processing), at `base[0..<count]`.
    private var base: UnsafeMutablePointer<(queued: UInt64, processed: UInt64)>
    private var capacity: Int
    private var count = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    /// One event: ns it waited in the queue, and ns to the end of its processing.
    @inline(__always)
    mutating func append(queued wait: UInt64, processed total: UInt64) {
        if count == capacity { grow() }
        (base + count).initialize(to: (wait, total))
        count += 1
    }

    func record(into statistics: inout PipelineStatistics) {
        for index in 0..<count {
            _ = statistics.queueLatency.record(base[index].queued)
            _ = statistics.eventLatency.record(base[index].processed)
        }
    }

    mutating func removeAll() {
        count = 0
    }

    private mutating func grow() {
        let larger = UnsafeMutablePointer<(queued: UInt64, processed: UInt64)>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = larger
        capacity *= 2
    }
}
