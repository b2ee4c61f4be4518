import Foundation

/// Publishes the pipeline's records to any number of consumers, each with its own bounded
/// queue (see ``OutputSubscription``), and to attached handlers, called on the publishing
/// thread (a shard's, or a connector's processing its own event). Publishing never waits: a slow consumer loses its oldest records, counted,
/// and nothing else notices.
public final class OutputHub: @unchecked Sendable {
    /// A handler called with every record of its channels, on the thread that publishes it.
    public typealias Handler = @Sendable (PipelineRecord) -> Void

    private let lock = NSLock()
    private var consumers: [OutputSubscription] = []
    private var handlers: [(channels: Set<OutputChannel>, handle: Handler)] = []
    private var wanted: [Int] = Array(repeating: 0, count: OutputChannel.allCases.count)

    public init() {}

    /// A new consumer of `channels` (and of `symbols` only, canonical `BASE/QUOTE`, when given),
    /// queueing at most `capacity` records.
    public func subscribe(channels: Set<OutputChannel> = Set(OutputChannel.allCases), symbols: Set<String>? = nil,
                          capacity: Int = 1024) -> OutputSubscription {
        let subscription = OutputSubscription(channels: channels, symbols: symbols, capacity: capacity)
        subscription.hub = self
        lock.withLock {
            consumers.append(subscription)
            for channel in channels { wanted[index(channel)] += 1 }
        }
        return subscription
    }

    /// Calls `handler` with every record of `channels`, synchronously on the thread that
    /// publishes it (a shard's, or a connector's processing its own event): no task hop, so it must be quick and must never wait (hand the record to
    /// bounded, non-blocking queues). For records nobody needs to store first, such as ticks
    /// and trades on their way to WebSocket clients.
    public func attach(channels: Set<OutputChannel>, _ handler: @escaping Handler) {
        lock.withLock {
            handlers.append((channels, handler))
            for channel in channels { wanted[index(channel)] += 1 }
        }
    }

    func remove(_ subscription: OutputSubscription) {
        lock.withLock {
            guard let k = consumers.firstIndex(where: { $0 === subscription }) else { return }
            consumers.remove(at: k)
            for channel in subscription.channels { wanted[index(channel)] -= 1 }
        }
    }

    /// Whether any consumer wants `channel` (lets the pipeline skip building records nobody reads).
    @inline(__always)
    public func isWanted(_ channel: OutputChannel) -> Bool {
        lock.withLock { wanted[index(channel)] > 0 }
    }

    /// Number of consumers.
    public var consumerCount: Int { lock.withLock { consumers.count } }

    /// Hands `record` to every consumer that wants it.
    public func publish(_ record: PipelineRecord) {
        let (targets, attached) = lock.withLock { (consumers, handlers) }
        for consumer in targets where consumer.wants(record) { consumer.offer(record) }
        for handler in attached where handler.channels.contains(record.channel) { handler.handle(record) }
    }

    @inline(__always)
    private func index(_ channel: OutputChannel) -> Int {
        switch channel {
        case .signals: 0
        case .alerts: 1
        case .ticks: 2
        case .candles: 3
        case .status: 4
        }
    }
}
