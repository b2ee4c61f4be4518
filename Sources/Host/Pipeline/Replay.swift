import Exchanges
import Foundation

/// Runs recorded data through the same pipeline as live — the simulated exchange as fast as
/// possible into a ``PipelineRouter`` — handing every signal, alert and strategy error to
/// `onRecord` in order, then returns a summary.
public struct Replay: Sendable {
    public var sources: [CanonicalSymbol: SimulatedSource]
    public var strategies: any StrategyStage
    public var model: (any ModelStage)?
    public var configuration: PipelineConfiguration

    /// One shard by default, so records come out in one deterministic order.
    public init(sources: [CanonicalSymbol: SimulatedSource], strategies: any StrategyStage, model: (any ModelStage)? = nil,
                configuration: PipelineConfiguration = PipelineConfiguration(shards: 1, publishTicks: false)) {
        self.sources = sources
        self.strategies = strategies
        self.model = model
        self.configuration = configuration
    }

    public func run(onRecord: @escaping @Sendable (PipelineRecord) -> Void) async throws -> ReplaySummary {
        let router = PipelineRouter(configuration: configuration, strategies: strategies, model: model)
        defer { router.shutdown() }
        let records = router.hub.subscribe(channels: [.signals, .alerts, .status], capacity: .max)
        let exchange = SimulatedExchange(sources: sources, configuration: .init(speed: .asFastAsPossible, exhausted: .finish))
        let pipeline = Pipeline(router: router, connectors: [exchange])
        let symbols = sources.keys.sorted()
        let started = DispatchTime.now().uptimeNanoseconds
        try await pipeline.start(symbols.map(\.description), on: .sim)
        let printer = Task {
            var levels: [String: UInt64] = [:]
            for await record in records {
                switch record {
                case .status: continue
                case .signal(let signal): levels[signal.level.name, default: 0] += 1
                default: break
                }
                onRecord(record)
            }
            return levels
        }
        try await pipeline.run()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        records.cancel()
        let levels = await printer.value
        let statistics = router.statistics()
        return ReplaySummary(symbols: symbols.map(\.description), events: statistics.events, candles: statistics.candles,
                             signals: statistics.signals, levels: levels, alerts: statistics.alerts,
                             strategyErrors: statistics.strategyErrors, seconds: seconds,
                             eventsPerSecond: seconds > 0 ? Double(statistics.events) / seconds : 0,
                             signalLatencyP50Nanoseconds: statistics.signalLatency.valueAtPercentile(50),
                             signalLatencyP99Nanoseconds: statistics.signalLatency.valueAtPercentile(99))
    }
}
