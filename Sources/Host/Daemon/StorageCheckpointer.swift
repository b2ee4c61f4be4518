import Logging
import ServiceLifecycle

/// Checkpoints the daemon's database once a second on a connection of its own
/// (``Storage/checkpoint()``), so no commit of a signal waits for the log to be copied into the
/// database file and synced: those commits come before the signal is sent, so their tail is the
/// signals' tail. A failed checkpoint is logged and tried again a second later.
struct StorageCheckpointer: Service {
    let storage: Storage
    let logger: Logger
    var interval: Duration = .seconds(1)

    func run() async throws {
        // Ends at shutdown; closing the database then checkpoints what is left.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                do throws(StorageError) {
                    try await storage.checkpoint()
                } catch {
                    logger.warning("database checkpoint failed", metadata: ["reason": .string(error.description)])
                }
            }
        }
    }
}
