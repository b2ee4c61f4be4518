import Exchanges
import Histogram
import Metrics

/// The pipeline's figures on `GET /metrics`: its counters (events, unrouted events, signals,
/// alerts, strategy errors, closed candles, producer waits, events run by their producer, close rehearsals, the
/// worker threads' CPU time) and its latency quantiles since the start, read from
/// ``PipelineRouter/statistics()`` by ``update(from:symbols:)`` (the daemon calls it once a
/// second, so nothing is added to the hot path) and advanced by what changed since the last
/// read; and the connectors' incident counts per exchange, symbol and kind
/// (``update(connectors:)``).
struct PipelineMetrics {
    private let events = Counter(label: "chloe_pipeline_events_total")
    private let unrouted = Counter(label: "chloe_pipeline_unrouted_events_total")
    private let signals = Counter(label: "chloe_pipeline_signals_total")
    private let alerts = Counter(label: "chloe_pipeline_alerts_total")
    private let strategyErrors = Counter(label: "chloe_pipeline_strategy_errors_total")
    private let candles = Counter(label: "chloe_pipeline_candles_total")
    private let producerWaits = Counter(label: "chloe_pipeline_producer_waits_total")
    private let inlineEvents = Counter(label: "chloe_pipeline_inline_events_total")
    private let rehearsals = Counter(label: "chloe_pipeline_close_rehearsals_total")
    private let workerCPU = FloatingPointCounter(label: "chloe_pipeline_worker_cpu_seconds_total")
    private let symbols = Gauge(label: "chloe_pipeline_symbols")
    /// Event entering the router to the end of its processing, and to each signal, in seconds.
    private let eventLatency: [(quantile: Double, gauge: Gauge)]
    private let signalLatency: [(quantile: Double, gauge: Gauge)]
    /// The statistics as last read.
    private var last = PipelineStatistics()
    /// Incident counters made so far (one per exchange, symbol and kind seen with a count),
    /// with the connector's count as last read.
    private var incidents: [IncidentKey: (counter: Counter, count: UInt64)] = [:]

    private struct IncidentKey: Hashable {
        let exchange: Exchange
        let symbol: CanonicalSymbol
        let kind: FeedIncident
    }

    init() {
        let quantiles = [0.5, 0.9, 0.99]
        eventLatency = quantiles.map { ($0, Gauge(label: "chloe_pipeline_event_latency_seconds", dimensions: [("quantile", "\($0)")])) }
        signalLatency = quantiles.map { ($0, Gauge(label: "chloe_pipeline_signal_latency_seconds", dimensions: [("quantile", "\($0)")])) }
    }

    /// Publishes `statistics` (the router's, now) with `symbols` running.
    mutating func update(from statistics: PipelineStatistics, symbols running: Int) {
        Self.advance(events, statistics.events, last.events)
        Self.advance(unrouted, statistics.unrouted, last.unrouted)
        Self.advance(signals, statistics.signals, last.signals)
        Self.advance(alerts, statistics.alerts, last.alerts)
        Self.advance(strategyErrors, statistics.strategyErrors, last.strategyErrors)
        Self.advance(candles, statistics.candles, last.candles)
        Self.advance(producerWaits, statistics.producerWaits, last.producerWaits)
        Self.advance(inlineEvents, statistics.inlineEvents, last.inlineEvents)
        Self.advance(rehearsals, statistics.rehearsals, last.rehearsals)
        if statistics.workerCPUNanoseconds > last.workerCPUNanoseconds {
            workerCPU.increment(by: Double(statistics.workerCPUNanoseconds - last.workerCPUNanoseconds) / 1e9)
        }
        symbols.record(running)
        Self.record(eventLatency, from: statistics.eventLatency)
        Self.record(signalLatency, from: statistics.signalLatency)
        last = statistics
    }

    /// Sets each gauge to its quantile of `histogram` (nothing while it is empty).
    private static func record(_ gauges: [(quantile: Double, gauge: Gauge)], from histogram: Histogram<UInt64>) {
        guard histogram.totalCount > 0 else { return }
        let values = histogram.values(atPercentiles: gauges.map { $0.quantile * 100 })
        for ((_, gauge), value) in zip(gauges, values) { gauge.record(Double(value) / 1e9) }
    }

    /// Publishes the connectors' incident counts (``ConnectorHealthTable``, sampled now) as
    /// `chloe_feed_incidents_total{exchange, symbol, kind}`. A count lower than last read (a
    /// symbol restarted) starts its counter's baseline again.
    mutating func update(connectors: ConnectorHealthTable) {
        for (exchange, symbols) in connectors {
            for (symbol, health) in symbols {
                for (kind, count) in health.incidents where count > 0 {
                    let key = IncidentKey(exchange: exchange, symbol: symbol, kind: kind)
                    let known = incidents[key] ?? (Counter(label: "chloe_feed_incidents_total", dimensions: [
                        ("exchange", exchange.rawValue), ("symbol", symbol.description), ("kind", kind.rawValue),
                    ]), 0)
                    Self.advance(known.counter, count, count < known.count ? 0 : known.count)
                    incidents[key] = (known.counter, count)
                }
            }
        }
    }

    private static func advance(_ counter: Counter, _ now: UInt64, _ before: UInt64) {
        if now > before { counter.increment(by: Int64(now - before)) }
    }
}
