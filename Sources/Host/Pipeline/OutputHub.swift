import Foundation

/// Publishes the pipeline's records to any number of consumers, each with its own bounded
/// queue (see ``OutputSubscription``). Publishing never waits: a slow consumer loses its
/// oldest records, counted, and nothing else notices.
public final class OutputHub: @unchecked Sendable {
    private let lock = NSLock()
    private var consumers: [OutputSubscription] = []
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
        let targets = lock.withLock { consumers }
        for consumer in targets where consumer.wants(record) { consumer.offer(record) }
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
