import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// `chloe run`: storage, webhooks, the pipeline (attached by `attach`) and the API in one
/// service group; SIGTERM/SIGINT shut down gracefully in reverse order (the API stops taking
/// requests and closes sockets, the pipeline stops, webhooks finish, storage flushes last).
public struct Daemon: Sendable {
    public let configuration: ChloeConfiguration
    let logger: Logger

    public init(configuration: ChloeConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Runs until SIGTERM or SIGINT. `attach` builds the pipeline from the daemon's components;
    /// `onListening` gets the bound port (useful with port 0).
    public func run(attach: @Sendable (DaemonComponents) async throws -> PipelineAttachment = Daemon.withoutPipeline,
                    onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        _ = MetricsBootstrap.registry
        let storage = try Storage(directory: configuration.storage.dataDir, checkpointsInBackground: true)
        logger.info("storage open", metadata: ["path": "\(storage.path)"])
        let writer = StorageWriter(storage: storage, settings: configuration.storage, logger: logger)
        let broadcaster = Broadcaster(capacity: configuration.api.websocketQueueSize)
        let webhooks = WebhookNotifier(settings: configuration.alerts, logger: logger)
        let components = DaemonComponents(
            configuration: configuration, storage: storage, writer: writer, broadcaster: broadcaster, webhooks: webhooks,
            publisher: RecordPublisher(writer: writer, broadcaster: broadcaster, webhooks: webhooks, logger: logger))
        let attachment = try await attach(components)
        let services = APIServices(storage: storage, realtime: attachment.realtime, strategies: attachment.strategies,
                                   model: attachment.model, broadcaster: broadcaster)
        let host = configuration.api.host
        let logger = logger
        let app = buildApplication(settings: configuration.api, services: services, logger: logger) { port in
            logger.info("API listening", metadata: ["http.host": "\(host)", "http.port": "\(port)"])
            await onListening(port)
        }
        var all: [any Service] = [writer, StorageCheckpointer(storage: storage, logger: logger), webhooks]
        all += attachment.services
        all.append(HangupService(action: attachment.onHangup, logger: logger))
        all.append(app)
        let group = ServiceGroup(configuration: .init(
            services: all.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        logger.info("stopped")
    }

    /// The attachment of a daemon without a pipeline: nothing is followed until `POST /realtime/start`.
    @Sendable
    public static func withoutPipeline(_ components: DaemonComponents) -> PipelineAttachment {
        PipelineAttachment(realtime: InMemoryRealtimeState(exchanges: components.configuration.feeds.map(\.exchange)))
    }
}

/// Calls `action` on every SIGHUP until shutdown (and keeps SIGHUP from ending the process
/// when there is nothing to reload).
struct HangupService: Service {
    let action: (@Sendable () async -> Void)?
    let logger: Logger

    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            guard let action else {
                logger.notice("SIGHUP: no strategy runtime is attached; nothing to reload")
                continue
            }
            logger.info("SIGHUP: reloading strategies and the model")
            await action()
        }
    }
}
