import Logging

/// The one way signals and alerts leave the pipeline, in the order that keeps the durability
/// promise: committed to the database first, then published to WebSocket clients, the log and
/// the webhooks. A record that cannot be stored is not published (the error says why).
public struct RecordPublisher: Sendable {
    public let writer: StorageWriter
    public let broadcaster: Broadcaster
    public let webhooks: WebhookNotifier?
    let logger: Logger

    public init(writer: StorageWriter, broadcaster: Broadcaster, webhooks: WebhookNotifier?, logger: Logger) {
        self.writer = writer
        self.broadcaster = broadcaster
        self.webhooks = webhooks
        self.logger = logger
    }

    /// Commits `signals` and `alerts`, then publishes them; returns them with their storage ids.
    @discardableResult
    public func publish(signals: [Signal], alerts: [Alert] = []) async throws(StorageError) -> (signals: [Signal], alerts: [Alert]) {
        let stored = try await writer.commit(signals: signals, alerts: alerts)
        for signal in stored.signals { broadcaster.publish(signal) }
        for alert in stored.alerts {
            broadcaster.publish(alert)
            webhooks?.notify(alert)
            logger.notice("alert fired", metadata: [
                "alert.id": "\(alert.id)", "symbol": "\(alert.symbol)", "script.name": "\(alert.strategy)",
                "alert.name": "\(alert.name)", "alert.severity": "\(alert.severity.rawValue)", "alert.message": "\(alert.message)",
            ])
        }
        return stored
    }
}
