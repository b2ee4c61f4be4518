import Exchanges
import Synchronization

/// The pipeline's entry: receives market events from connectors (it is their
/// `MarketEventSink`) and routes each by symbol to the shard that owns the symbol. Each shard
/// is one thread processing its symbols serially; symbols on different shards run in parallel.
///
/// Only started symbols are processed; events of others are counted as unrouted. Events of a
/// symbol keep their order. When a shard's queue is full the caller waits (backpressure).
/// When a shard is idle, the caller processes its event itself instead of waking the shard's
/// thread (``PipelineConfiguration/callerRunsAfterIdle``): `receive` then returns once the
/// event is processed.
/// A started symbol has a route (its shard and the slot of its processor there), looked up
/// once per event here, on the connector's thread.
public final class PipelineRouter: MarketEventSink, @unchecked Sendable {
    public let configuration: PipelineConfiguration
    public let hub: OutputHub
    public let state: LatestState
    private let shards: [PipelineShard]
    private let running = Locked(true)
    /// Started symbols' routes: taken by every event (the shards index their processors by
    /// slot and never hash a name).
    private let routing: Mutex<RoutingTable>
    /// Events of symbols not started.
    private let unrouted = Atomic<UInt64>(0)

    /// Starts `configuration.shards` worker threads.
    /// - Parameters:
    ///   - strategies: the strategy stage (nil: no strategies, the pipeline keeps state only).
    ///   - model: the model stage (nil: no ratings).
    public init(configuration: PipelineConfiguration = .init(), strategies: (any StrategyStage)? = nil,
                model: (any ModelStage)? = nil, hub: OutputHub = OutputHub(), state: LatestState = LatestState()) {
        self.configuration = configuration
        self.hub = hub
        self.state = state
        shards = (0..<configuration.shards).map {
            PipelineShard(index: $0, configuration: configuration, strategies: strategies, model: model, hub: hub)
        }
        routing = Mutex(RoutingTable(shards: configuration.shards))
        for shard in shards { shard.start() }
    }

    deinit {
        shutdown()
    }

    /// Whether every shard is idle: nothing queued, nothing being processed.
    var isIdle: Bool { shards.allSatisfy { $0.queue.isIdle } }

    /// The shard running `symbol` (nil when it is not started).
    func shardIndex(of symbol: CanonicalSymbol) -> Int? {
        routing.withLock { $0.routes[symbol]?.shard }
    }

    /// Routes one event. Connection-wide events (no symbol) go to every shard; events of
    /// symbols not started (or started on another exchange) are counted as unrouted.
    public func receive(_ event: MarketEvent) {
        let enqueued = monotonicNanoseconds()
        guard let symbol = event.symbol else {
            let compact = ShardEvent(event, slot: ShardEvent.broadcast, generation: 0, enqueued: enqueued)
            for shard in shards { shard.queue.put(.event(compact)) }
            return
        }
        guard let route = routing.withLock({ $0.routes[symbol] }), route.exchange == event.exchange else {
            unrouted.add(1, ordering: .relaxed)
            return
        }
        shards[route.shard].submit(ShardEvent(event, slot: route.slot, generation: route.generation, enqueued: enqueued))
    }

    /// Starts processing `symbols` of `exchange` (running ones are left alone). Each goes to
    /// the shard running the fewest symbols, so the shards share the work evenly.
    public func start(_ symbols: [CanonicalSymbol], exchange: Exchange) {
        routing.withLock { table in
            for symbol in symbols {
                guard let route = table.assign(symbol, exchange: exchange) else { continue }
                // registered and queued under the routing lock: the latest state follows starts and
                // stops in the order they were made (a symbol restarted on another shard is not
                // removed by its old shard's late stop), and no event resolved to this route can
                // be queued before the processor is made
                let entry = state.register(symbol, exchange: exchange)
                shards[route.shard].queue.put(.start(symbol, exchange, slot: route.slot, generation: route.generation, entry: entry),
                                              control: true)
            }
        }
    }

    /// Stops processing `symbols`: their state is dropped, later events are unrouted.
    public func stop(_ symbols: [CanonicalSymbol]) {
        routing.withLock { table in
            for symbol in symbols {
                guard let route = table.release(symbol) else { continue }
                state.remove(symbol)
                shards[route.shard].queue.put(.stop(slot: route.slot, generation: route.generation), control: true)
            }
        }
    }

    /// Closes every candle whose interval ended by `now` (epoch ms, the feed's clock) and
    /// publishes each symbol's status. Call it periodically (once a second) so candles close
    /// and stale feeds are noticed even when no trade arrives. `connectors` is what the
    /// connectors know of each symbol's feed (``ConnectorHealth``), folded into its quality.
    public func timer(now: Int64, connectors: ConnectorHealthTable = [:]) {
        for shard in shards { shard.queue.put(.timer(now, connectors), control: true) }
    }

    /// Closes every open candle (the end of a replay).
    public func flush() {
        for shard in shards { shard.queue.put(.flush, control: true) }
    }

    /// Returns once every shard has processed everything queued before the call.
    public func drain() async {
        await withTaskGroup(of: Void.self) { group in
            for shard in shards {
                group.addTask {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                        shard.queue.put(.barrier({ continuation.resume() }), control: true)
                    }
                }
            }
        }
    }

    /// Counters and latency distributions so far, over all shards.
    public func statistics() -> PipelineStatistics {
        var total = PipelineStatistics()
        total.unrouted = unrouted.load(ordering: .relaxed)
        for shard in shards {
            // Merged under the lock: a copy taken out would share the histograms' storage, and
            // the shard's next latency record would then copy all three (hundreds of KiB) on
            // the event's path.
            shard.output.stats.withLock { total.add($0) }
            total.producerWaits += shard.queue.waits
            total.workerCPUNanoseconds += shard.cpuNanoseconds
        }
        return total
    }

    /// Empties the latency distributions (counters keep counting): for measuring after a warm-up.
    public func resetLatencies() {
        for shard in shards {
            shard.output.stats.withLock {
                $0.eventLatency.reset()
                $0.queueLatency.reset()
                $0.signalLatency.reset()
            }
        }
    }

    /// Stops the worker threads after what is queued (idempotent).
    public func shutdown() {
        let wasRunning = running.withLock { value in
            defer { value = false }
            return value
        }
        guard wasRunning else { return }
        for shard in shards { shard.stop() }
    }
}
