#if canImport(Glibc)
import Foundation

/// Hot reload from disk: watches a library's strategy and plugin folders and applies each
/// debounced batch of changes — a changed strategy file is refreshed (a broken save keeps
/// the old version running and records the error), a deleted one is unloaded, a changed
/// plugin reloads every strategy that requires it. `SIGHUP` handling belongs to the host,
/// which calls ``StrategyLibrary/reloadAll()``.
public final class StrategyWatcher: Sendable {
    public let library: StrategyLibrary
    private let watcher: DirectoryWatcher

    /// Receives what each batch did (errors included), for logging.
    public typealias Report = @Sendable (_ changed: [String], _ errors: [StrategyError]) -> Void

    public init(library: StrategyLibrary, debounce: Duration = .milliseconds(200)) {
        self.library = library
        watcher = DirectoryWatcher(directories: [library.strategiesDirectory, library.pluginsDirectory].compactMap { $0 },
                                   debounce: debounce)
    }

    /// Starts watching. `report` is called after each batch.
    public func start(report: @escaping Report = { _, _ in }) throws(StrategyError) {
        let library = library
        try watcher.start { changes in
            let (changed, errors) = Self.apply(changes, to: library)
            report(changed, errors)
        }
    }

    public func stop() { watcher.stop() }

    /// Applies one batch: strategies first, then plugins. Returns what changed and the errors.
    static func apply(_ changes: [DirectoryWatcher.Change], to library: StrategyLibrary) -> ([String], [StrategyError]) {
        var changed: [String] = []
        var errors: [StrategyError] = []
        let lua = changes.filter { $0.fileName.hasSuffix(".lua") && !$0.fileName.hasPrefix(".") }
        let strategyDirectory = library.strategiesDirectory?.standardizedFileURL.path
        for change in lua where change.directory.standardizedFileURL.path == strategyDirectory {
            let name = String(change.fileName.dropLast(4))
            changed.append(name)
            if FileManager.default.fileExists(atPath: change.directory.appendingPathComponent(change.fileName).path) {
                do throws(StrategyError) { try library.refresh(name) } catch { errors.append(error) }
            } else {
                library.unload(name)
            }
        }
        for change in lua where change.directory.standardizedFileURL.path != strategyDirectory {
            let plugin = String(change.fileName.dropLast(4))
            changed.append("plugins/" + change.fileName)
            errors += library.pluginChanged(plugin)
        }
        return (changed, errors)
    }
}
#endif
