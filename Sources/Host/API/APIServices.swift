import Exchanges
import Foundation
import Prometheus

/// What the API serves from: storage, the pipeline's state, the strategy runtime, the model,
/// the WebSocket fan-out and the metrics registry.
public struct APIServices: Sendable {
    public var storage: Storage
    public var realtime: any RealtimeState
    /// The strategy runtime; nil until it is wired (its routes then answer 404 naming the reason).
    public var strategies: (any StrategyCatalog)?
    /// The model; nil until it is wired.
    public var model: (any ModelInfoProvider)?
    public var broadcaster: Broadcaster
    public var metrics: PrometheusCollectorRegistry
    /// Now, epoch milliseconds (injected so tests can fix it).
    public var now: @Sendable () -> Int64

    public init(storage: Storage, realtime: any RealtimeState, strategies: (any StrategyCatalog)? = nil,
                model: (any ModelInfoProvider)? = nil, broadcaster: Broadcaster,
                metrics: PrometheusCollectorRegistry = MetricsBootstrap.registry,
                now: @escaping @Sendable () -> Int64 = { Int64(Date.now.timeIntervalSince1970 * 1000) }) {
        self.storage = storage
        self.realtime = realtime
        self.strategies = strategies
        self.model = model
        self.broadcaster = broadcaster
        self.metrics = metrics
        self.now = now
    }
}
