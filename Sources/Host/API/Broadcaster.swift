import Foundation
import Metrics

/// The in-process fan-out the pipeline publishes into and WebSocket clients read from.
///
/// Each subscriber has a bounded queue. Publishing never waits: when a subscriber's queue is
/// full the message is dropped for that subscriber and counted; its reader tells the client how
/// many it missed, and a subscriber that misses more than `evictAfterDrops` is disconnected.
/// A record is encoded to JSON once, and only when some subscriber wants it: ticks and trades
/// by hand (``JSONText``), other records by one shared encoder.
public final class Broadcaster: Sendable {
    struct Entry {
        var filter: BroadcastFilter
        let continuation: AsyncStream<BroadcastMessage>.Continuation
        var dropped: Int
        var totalDropped: Int
        var evicted: Bool
    }

    private let entries = Locked<[UInt64: Entry]>([:])
    private let nextID = Locked<UInt64>(0)
    /// The encoder of the records not written by hand, used under its lock (building one per
    /// record cost more than encoding the record).
    private let encoder = Locked(RecordCoding.makeEncoder())
    /// Messages per subscriber queue.
    public let capacity: Int
    /// Dropped messages after which a subscriber is disconnected.
    public let evictAfterDrops: Int
    private let droppedCounter = Counter(label: "chloe_websocket_dropped_messages_total")
    private let evictedCounter = Counter(label: "chloe_websocket_evicted_clients_total")

    public init(capacity: Int = 1024, evictAfterDrops: Int? = nil) {
        self.capacity = max(1, capacity)
        self.evictAfterDrops = evictAfterDrops ?? max(1, capacity)
    }

    /// How many subscribers there are.
    public var subscriberCount: Int { entries.withLock { $0.count } }

    /// Publishes `record` on `channel` about `symbol` to every subscriber that wants it.
    public func publish(_ record: some Encodable, on channel: BroadcastChannel, symbol: String?) {
        publish(on: channel, symbol: symbol) {
            encoder.withLock { try? $0.encode(record) }.map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Publishes a record written as JSON by `json`, which is called only when some subscriber
    /// wants it (nil publishes nothing).
    func publish(on channel: BroadcastChannel, symbol: String?, json: () -> String?) {
        let targets = entries.withLock { entries in
            var targets: [(UInt64, AsyncStream<BroadcastMessage>.Continuation)] = []
            for (id, entry) in entries where !entry.evicted && entry.filter.wants(channel, symbol: symbol) {
                targets.append((id, entry.continuation))
            }
            return targets
        }
        guard !targets.isEmpty, let json = json() else { return }
        let message = BroadcastMessage(type: channel.messageType, channel: channel, symbol: symbol, json: json)
        var overflowed: [UInt64] = []
        for (id, continuation) in targets {
            if case .dropped = continuation.yield(message) { overflowed.append(id) }
        }
        guard !overflowed.isEmpty else { return }
        droppedCounter.increment(by: overflowed.count)
        entries.withLock { entries in
            for id in overflowed {
                guard var entry = entries[id] else { continue }
                entry.dropped += 1
                entry.totalDropped += 1
                if entry.totalDropped >= evictAfterDrops, !entry.evicted {
                    entry.evicted = true
                    entry.continuation.finish()
                    evictedCounter.increment()
                }
                entries[id] = entry
            }
        }
    }

    /// Publishes a stored signal to the `signals` channel.
    public func publish(_ signal: Signal) { publish(on: .signals, symbol: signal.symbol) { try? signal.json() } }

    /// Publishes a stored alert to the `alerts` channel.
    public func publish(_ alert: Alert) { publish(alert, on: .alerts, symbol: alert.symbol) }

    /// A new subscriber with an empty filter (it receives nothing until it subscribes).
    func subscribe() -> BroadcastSubscription {
        let id = nextID.withLock { value in
            value += 1
            return value
        }
        let (stream, continuation) = AsyncStream.makeStream(of: BroadcastMessage.self, bufferingPolicy: .bufferingOldest(capacity))
        entries.withLock { $0[id] = Entry(filter: BroadcastFilter(), continuation: continuation, dropped: 0, totalDropped: 0, evicted: false) }
        return BroadcastSubscription(id: id, stream: stream, broadcaster: self)
    }

    func update(_ id: UInt64, _ change: (inout BroadcastFilter) -> Void) -> BroadcastFilter {
        entries.withLock { entries in
            guard var entry = entries[id] else { return BroadcastFilter() }
            change(&entry.filter)
            entries[id] = entry
            return entry.filter
        }
    }

    /// Drops counted since the last call, and whether the subscriber was evicted.
    func takeDropped(_ id: UInt64) -> (dropped: Int, total: Int, evicted: Bool) {
        entries.withLock { entries in
            guard var entry = entries[id] else { return (0, 0, true) }
            let dropped = entry.dropped
            entry.dropped = 0
            entries[id] = entry
            return (dropped, entry.totalDropped, entry.evicted)
        }
    }

    /// Queues a reply for subscriber `id` only; false when its queue is full.
    func reply(_ id: UInt64, _ message: BroadcastMessage) -> Bool {
        guard let continuation = entries.withLock({ $0[id]?.continuation }) else { return false }
        if case .enqueued = continuation.yield(message) { return true }
        return false
    }

    func remove(_ id: UInt64) {
        let entry = entries.withLock { $0.removeValue(forKey: id) }
        entry?.continuation.finish()
    }
}

/// One subscriber's queue and filter.
struct BroadcastSubscription: Sendable {
    let id: UInt64
    let stream: AsyncStream<BroadcastMessage>
    let broadcaster: Broadcaster

    func update(_ change: (inout BroadcastFilter) -> Void) -> BroadcastFilter { broadcaster.update(id, change) }
    func takeDropped() -> (dropped: Int, total: Int, evicted: Bool) { broadcaster.takeDropped(id) }
    func reply(_ message: BroadcastMessage) -> Bool { broadcaster.reply(id, message) }
    func cancel() { broadcaster.remove(id) }
}
