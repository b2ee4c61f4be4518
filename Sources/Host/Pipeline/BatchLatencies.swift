/// A shard's per-event latencies of one batch, kept locally and added to the shared
/// histograms under one lock at the end of the batch.
struct BatchLatencies {
    private var queued: [UInt64] = []
    private var processed: [UInt64] = []

    init(capacity: Int) {
        queued.reserveCapacity(capacity)
        processed.reserveCapacity(capacity)
    }

    /// One event: ns it waited in the queue, and ns to the end of its processing.
    @inline(__always)
    mutating func append(queued wait: UInt64, processed total: UInt64) {
        queued.append(wait)
        processed.append(total)
    }

    func record(into statistics: inout PipelineStatistics) {
        for value in queued { _ = statistics.queueLatency.record(value) }
        for value in processed { _ = statistics.eventLatency.record(value) }
    }

    mutating func removeAll() {
        queued.removeAll(keepingCapacity: true)
        processed.removeAll(keepingCapacity: true)
    }
}
