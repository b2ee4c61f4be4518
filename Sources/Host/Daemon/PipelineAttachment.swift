import ServiceLifecycle

/// What the pipeline brings to the daemon: the state the API reads, the strategy runtime and
/// model (nil until wired), the services to run, and what SIGHUP does.
public struct PipelineAttachment: Sendable {
    public var realtime: any RealtimeState
    public var strategies: (any StrategyCatalog)?
    public var model: (any ModelInfoProvider)?
    /// Run in the daemon's service group, between storage (stopped last) and the API (stopped first).
    public var services: [any Service]
    /// Called on SIGHUP (reload strategies).
    public var onHangup: (@Sendable () async -> Void)?

    public init(realtime: any RealtimeState, strategies: (any StrategyCatalog)? = nil, model: (any ModelInfoProvider)? = nil,
                services: [any Service] = [], onHangup: (@Sendable () async -> Void)? = nil) {
        self.realtime = realtime
        self.strategies = strategies
        self.model = model
        self.services = services
        self.onHangup = onHangup
    }
}

/// What the daemon has built before the pipeline is attached: hand these to the pipeline.
public struct DaemonComponents: Sendable {
    public let configuration: ChloeConfiguration
    public let storage: Storage
    public let writer: StorageWriter
    public let broadcaster: Broadcaster
    public let webhooks: WebhookNotifier
    /// Store-then-publish for signals and alerts.
    public let publisher: RecordPublisher
}
