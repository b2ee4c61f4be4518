#if canImport(Glibc)
import Logging
import ServiceLifecycle

/// Model hot reload while the daemon runs: a saved or replaced model file is loaded, checked
/// and swapped in (a bad one is logged, counted and refused; the previous model keeps serving).
struct ModelWatcherService: Service {
    let watcher: ModelFileWatcher
    let logger: Logger

    func run() async throws {
        // Without inotify the service still waits for shutdown: returning early would end the group.
        do {
            try watcher.start()
        } catch {
            logger.error("the model file is not watched; send SIGHUP to reload it",
                         metadata: ["model.path": "\(watcher.reloader.path)", "error": "\(error)"])
        }
        try? await gracefulShutdown()
        watcher.stop()
    }
}
#endif
