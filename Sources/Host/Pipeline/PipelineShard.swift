import Exchanges
import Foundation

/// One worker thread and the symbols assigned to it: processes its queue in order, so each
/// symbol is handled serially while shards run in parallel.
final class PipelineShard: @unchecked Sendable {
    let index: Int
    let queue: ShardQueue
    let output: ShardOutput
    private let configuration: PipelineConfiguration
    private let strategies: (any StrategyStage)?
    private let model: (any ModelStage)?
    private let state: LatestState
    /// Only touched on the shard's thread.
    private var processors: [CanonicalSymbol: SymbolProcessor] = [:]
    private let finished = DispatchSemaphore(value: 0)

    init(index: Int, configuration: PipelineConfiguration, strategies: (any StrategyStage)?, model: (any ModelStage)?,
         hub: OutputHub, state: LatestState) {
        self.index = index
        self.configuration = configuration
        self.strategies = strategies
        self.model = model
        self.state = state
        queue = ShardQueue(capacity: configuration.queueCapacity, idleSpin: configuration.idleSpinNanoseconds)
        output = ShardOutput(hub: hub, configuration: configuration)
    }

    func start() {
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "chloe-shard-\(index)"  // Linux thread names hold 15 bytes
        thread.stackSize = 4 << 20
        thread.start()
    }

    /// Stops the thread after what is queued and waits for it.
    func stop() {
        queue.stop()
        finished.wait()
    }

    private func run() {
        var batch = ShardBuffer(capacity: configuration.queueCapacity)
        var events: UInt64 = 0, unrouted: UInt64 = 0
        var latencies = BatchLatencies(capacity: configuration.queueCapacity)
        /// Processors whose latest price or book top changed in this batch.
        var touched: [SymbolProcessor] = []
        while queue.take(into: &batch) {
            let taken = monotonicNanoseconds()
            batch.drain { input in
                switch consume input {
                case .event(let event):
                    if let symbol = event.symbol {
                        guard let processor = processors[symbol], processor.exchange == event.exchange else {
                            unrouted += 1
                            return
                        }
                        let pending = processor.latestPending
                        processor.handle(event)
                        if !pending && processor.latestPending { touched.append(processor) }
                        events += 1
                        latencies.append(queued: taken &- event.enqueued, processed: monotonicNanoseconds() &- event.enqueued)
                    } else if case .other(let box) = event.payload, case .disconnected = box.event.payload {
                        for processor in processors.values where processor.exchange == event.exchange {
                            processor.disconnected(at: event.receiveTime)
                        }
                    }
                case .start(let symbol, let exchange):
                    guard processors[symbol] == nil else { return }
                    processors[symbol] = SymbolProcessor(
                        symbol: symbol, exchange: exchange, configuration: configuration,
                        strategies: strategies?.makeSymbolStrategies(symbol: symbol, exchange: exchange),
                        model: model?.makeSymbolModel(symbol: symbol, exchange: exchange),
                        entry: state.register(symbol, exchange: exchange), output: output)
                case .stop(let symbol):
                    if processors.removeValue(forKey: symbol) != nil { state.remove(symbol) }
                case .timer(let now, let connectors):
                    for (symbol, processor) in processors {
                        processor.timer(now: now, connector: connectors[processor.exchange]?[symbol])
                    }
                case .flush:
                    for processor in processors.values { processor.flush() }
                case .barrier(let done):
                    publish(&touched)
                    record(events: &events, unrouted: &unrouted, latencies: &latencies)
                    done()
                }
            }
            publish(&touched)
            record(events: &events, unrouted: &unrouted, latencies: &latencies)
        }
    }

    /// Writes each touched processor's latest price and book top into the shared latest state:
    /// one lock per symbol per batch rather than one per event.
    private func publish(_ touched: inout [SymbolProcessor]) {
        guard !touched.isEmpty else { return }
        for processor in touched { processor.publishLatest() }
        touched.removeAll(keepingCapacity: true)
    }

    /// Adds a batch's counts to the shared statistics (one lock per batch, not per event).
    private func record(events: inout UInt64, unrouted: inout UInt64, latencies: inout BatchLatencies) {
        guard events > 0 || unrouted > 0 else { return }
        output.stats.withLock {
            $0.events += events
            $0.unrouted += unrouted
            latencies.record(into: &$0)
        }
        events = 0
        unrouted = 0
        latencies.removeAll()
    }
}
