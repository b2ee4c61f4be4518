/// Paces a connection's outgoing messages by a ``MessageRateLimit``: a sliding window, so no
/// window of that length, wherever it starts, holds more than the allowed number of sends.
/// Messages beyond it queue, in order, until the oldest send in the window ages out.
struct SendThrottle: Sendable {
    let limit: MessageRateLimit?
    /// When each of the last `limit.messages` sends went out, oldest first.
    private var sent: [ContinuousClock.Instant] = []
    private var head = 0
    /// Messages waiting for room, in order.
    private(set) var queued: [String] = []

    init(limit: MessageRateLimit?) {
        self.limit = limit
    }

    /// Adds a message to the end of the queue.
    mutating func enqueue(_ message: String) { queued.append(message) }

    /// Removes and returns the queued messages that may go out at `now`, in order, and counts
    /// them as sent at `now`.
    mutating func release(at now: ContinuousClock.Instant) -> [String] {
        guard !queued.isEmpty else { return [] }
        guard let limit else {
            defer { queued.removeAll(keepingCapacity: true) }
            return queued
        }
        let allowed = max(limit.messages, 1)
        var count = 0
        while count < queued.count {
            if sent.count - head >= allowed {
                guard now - sent[head] >= limit.window else { break }
                head += 1
            }
            sent.append(now)
            count += 1
        }
        if head > allowed {  // keep the record short
            sent.removeFirst(head)
            head = 0
        }
        let released = Array(queued.prefix(count))
        queued.removeFirst(count)
        return released
    }
}
