#if canImport(Glibc)
import Logging
import Scripting
import ServiceLifecycle

/// Hot reload from disk while the daemon runs: a saved strategy or plugin file is reloaded
/// (a broken save is logged and stored, the old version keeps running), a deleted one unloaded.
struct StrategyWatcherService: Service {
    let watcher: StrategyWatcher
    let catalog: LuaStrategyCatalog
    let logger: Logger

    func run() async throws {
        let catalog = catalog
        do {
            try watcher.start { changed, errors in
                Task { await catalog.watched(changed: changed, errors: errors) }
            }
        } catch {
            // Keep running until shutdown: a service that returns would end the whole group.
            logger.error("strategy files are not watched; use SIGHUP or POST /strategies/{name}/reload", metadata: ["error": "\(error)"])
            try? await gracefulShutdown()
            return
        }
        try? await gracefulShutdown()
        watcher.stop()
    }
}
#endif
