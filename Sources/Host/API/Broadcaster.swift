import Foundation
import Metrics

/// The in-process fan-out the pipeline publishes into and WebSocket clients read from.
///
/// Each subscriber has a bounded queue (its ``BroadcastSink``; a WebSocket client's is a
/// ``ClientFrameWriter``). Publishing never waits: when a subscriber's queue is full the message
/// is dropped for that subscriber and counted; its writer tells the client how many it missed,
/// and a subscriber that misses more than `evictAfterDrops` is disconnected.
/// A record is encoded to JSON once, and only when some subscriber wants it: ticks and trades
/// by hand (``JSONText``), other records by one shared encoder.
public final class Broadcaster: Sendable {
    struct Entry {
        var filter: BroadcastFilter
        let sink: any BroadcastSink
        var dropped: Int
        var totalDropped: Int
        var evicted: Bool
    }

    /// The subscribers by id, and the ones not evicted as a list that publishing reads without
    /// building anything (rebuilt when a subscriber comes, goes, changes its filter or is evicted).
    struct Subscribers {
        var entries: [UInt64: Entry] = [:]
        private(set) var targets: [(id: UInt64, filter: BroadcastFilter, sink: any BroadcastSink)] = []

        mutating func listChanged() {
            targets = entries.compactMap { id, entry in entry.evicted ? nil : (id, entry.filter, entry.sink) }
        }
    }

    private let subscribers = Locked(Subscribers())
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
    public var subscriberCount: Int { subscribers.withLock { $0.entries.count } }

    /// Publishes `record` on `channel` about `symbol` to every subscriber that wants it.
    public func publish(_ record: some Encodable, on channel: BroadcastChannel, symbol: String?) {
        publish(on: channel, symbol: symbol) { encoder.withLock { try? $0.encode(record) }.map { [UInt8]($0) } }
    }

    /// Publishes a record written as JSON (UTF-8) by `json`, which is called only when some
    /// subscriber wants it (nil publishes nothing).
    func publish(on channel: BroadcastChannel, symbol: String?, json: () -> [UInt8]?) {
        let targets = subscribers.withLock { $0.targets }
        guard targets.contains(where: { $0.filter.wants(channel, symbol: symbol) }), let json = json() else { return }
        let message = BroadcastMessage(type: channel.messageType, channel: channel, symbol: symbol, data: json)
        var overflowed: [UInt64] = []
        for target in targets where target.filter.wants(channel, symbol: symbol) && !target.sink.offer(message) {
            overflowed.append(target.id)
        }
        guard !overflowed.isEmpty else { return }
        droppedCounter.increment(by: overflowed.count)
        subscribers.withLock { subscribers in
            for id in overflowed {
                guard var entry = subscribers.entries[id] else { continue }
                entry.dropped += 1
                entry.totalDropped += 1
                if entry.totalDropped >= evictAfterDrops, !entry.evicted {
                    entry.evicted = true
                    entry.sink.finish()
                    evictedCounter.increment()
                }
                subscribers.entries[id] = entry
                if entry.evicted { subscribers.listChanged() }
            }
        }
    }

    /// Publishes a stored signal to the `signals` channel.
    public func publish(_ signal: Signal) { publish(on: .signals, symbol: signal.symbol) { (try? signal.json()).map { Array($0.utf8) } } }

    /// Publishes a stored alert to the `alerts` channel.
    public func publish(_ alert: Alert) { publish(alert, on: .alerts, symbol: alert.symbol) }

    /// A new subscriber whose messages go to the sink `make` builds for its id (a sink holds at
    /// most ``capacity`` messages), with an empty filter.
    func subscribe<Sink: BroadcastSink>(_ make: (UInt64) -> Sink) -> Sink {
        let id = nextID.withLock { value in
            value += 1
            return value
        }
        let sink = make(id)
        subscribers.withLock { subscribers in
            subscribers.entries[id] = Entry(filter: BroadcastFilter(), sink: sink, dropped: 0, totalDropped: 0, evicted: false)
            subscribers.listChanged()
        }
        return sink
    }

    func update(_ id: UInt64, _ change: (inout BroadcastFilter) -> Void) -> BroadcastFilter {
        subscribers.withLock { subscribers in
            guard var entry = subscribers.entries[id] else { return BroadcastFilter() }
            change(&entry.filter)
            subscribers.entries[id] = entry
            subscribers.listChanged()
            return entry.filter
        }
    }

    /// Drops counted since the last call, and whether the subscriber was evicted.
    func takeDropped(_ id: UInt64) -> (dropped: Int, total: Int, evicted: Bool) {
        subscribers.withLock { subscribers in
            guard var entry = subscribers.entries[id] else { return (0, 0, true) }
            let dropped = entry.dropped
            entry.dropped = 0
            subscribers.entries[id] = entry
            return (dropped, entry.totalDropped, entry.evicted)
        }
    }

    /// Queues a reply for subscriber `id` only; false when its queue is full.
    func reply(_ id: UInt64, _ message: BroadcastMessage) -> Bool {
        guard let sink = subscribers.withLock({ $0.entries[id]?.sink }) else { return false }
        return sink.offer(message)
    }

    func remove(_ id: UInt64) {
        let entry = subscribers.withLock { subscribers in
            defer { subscribers.listChanged() }
            return subscribers.entries.removeValue(forKey: id)
        }
        entry?.sink.finish()
    }
}
