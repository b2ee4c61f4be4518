import Exchanges

/// The pipeline's entry: receives market events from connectors (it is their
/// `MarketEventSink`) and routes each by symbol to the shard that owns the symbol. Each shard
/// is one thread processing its symbols serially; symbols on different shards run in parallel.
///
/// Only started symbols are processed; events of others are counted as unrouted. Events of a
/// symbol keep their order. When a shard's queue is full the caller waits (backpressure).
public final class PipelineRouter: MarketEventSink, @unchecked Sendable {
    public let configuration: PipelineConfiguration
    public let hub: OutputHub
    public let state: LatestState
    private let shards: [PipelineShard]
    private let running = Locked(true)

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
            PipelineShard(index: $0, configuration: configuration, strategies: strategies, model: model, hub: hub, state: state)
        }
        for shard in shards { shard.start() }
    }

    deinit {
        shutdown()
    }

    /// The shard that owns `symbol` (stable for the router's life).
    @inline(__always)
    func shard(of symbol: CanonicalSymbol) -> PipelineShard {
        var hasher = Hasher()
        hasher.combine(symbol.base)
        hasher.combine(symbol.quote)
        return shards[Int(UInt(bitPattern: hasher.finalize()) % UInt(shards.count))]
    }

    /// Routes one event. Connection-wide events (no symbol) go to every shard.
    public func receive(_ event: MarketEvent) {
        let compact = ShardEvent(event, enqueued: monotonicNanoseconds())
        if let symbol = event.symbol {
            shard(of: symbol).queue.put(.event(compact))
        } else {
            for shard in shards { shard.queue.put(.event(compact)) }
        }
    }

    /// Starts processing `symbols` of `exchange` (running ones are left alone).
    public func start(_ symbols: [CanonicalSymbol], exchange: Exchange) {
        for symbol in symbols { shard(of: symbol).queue.put(.start(symbol, exchange), control: true) }
    }

    /// Stops processing `symbols`: their state is dropped, later events are unrouted.
    public func stop(_ symbols: [CanonicalSymbol]) {
        for symbol in symbols { shard(of: symbol).queue.put(.stop(symbol), control: true) }
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
        for shard in shards {
            total.add(shard.output.stats.withLock { $0 })
            total.producerWaits += shard.queue.waits
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
