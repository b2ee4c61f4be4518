/// Where a shard's processors send records and count what they did.
final class ShardOutput {
    let hub: OutputHub
    let qualityThreshold: Double
    let publishTicks: Bool
    let stats = Locked(PipelineStatistics())

    init(hub: OutputHub, configuration: PipelineConfiguration) {
        self.hub = hub
        qualityThreshold = configuration.qualityThreshold
        publishTicks = configuration.publishTicks
    }

    @inline(__always)
    func publish(_ record: PipelineRecord) {
        hub.publish(record)
    }

    func signal(_ signal: Signal, latency: UInt64) {
        stats.withLock {
            $0.signals += 1
            _ = $0.signalLatency.record(latency)
        }
        hub.publish(.signal(signal))
    }

    func alert(_ alert: Alert) {
        stats.withLock { $0.alerts += 1 }
        hub.publish(.alert(alert))
    }

    func fault(_ fault: StrategyFailure) {
        stats.withLock { $0.strategyErrors += 1 }
        hub.publish(.strategyError(fault))
    }

    func candleClosed() {
        stats.withLock { $0.candles += 1 }
    }
}
