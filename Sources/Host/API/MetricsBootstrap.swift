import Metrics
import Prometheus

/// The process's Prometheus registry. Reading `registry` the first time bootstraps swift-metrics
/// with it (once per process, as swift-metrics requires); do it before creating metrics.
public enum MetricsBootstrap {
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}
