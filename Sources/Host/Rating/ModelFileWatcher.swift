#if canImport(Glibc)
import Foundation
import Scripting

/// Watches the model file's folder (inotify, through ``Scripting/DirectoryWatcher``) and
/// reloads the model when the file is written, replaced (an editor's or `chloe train`'s save,
/// `mv new.json model.json`) or deleted (refused: the previous model keeps serving).
///
/// Watching the folder, not the file, keeps working across renames onto the file's name.
public final class ModelFileWatcher: Sendable {
    public let reloader: ModelReloader
    private let watcher: DirectoryWatcher
    private let fileName: String

    /// - Parameter debounce: quiet time after the last change before reloading, so a save
    ///   burst (write temp, rename) is one reload.
    public init(reloader: ModelReloader, debounce: Duration = .milliseconds(200)) {
        self.reloader = reloader
        let url = URL(fileURLWithPath: reloader.path)
        fileName = url.lastPathComponent
        watcher = DirectoryWatcher(directories: [url.deletingLastPathComponent()], debounce: debounce)
    }

    /// Starts watching on the watcher's thread; `onReload` gets each reload's outcome.
    ///
    /// - Throws: ``Scripting/StrategyError`` when inotify is unavailable (hot reload is then off).
    public func start(onReload: @escaping @Sendable (ModelReloader.Outcome) -> Void = { _ in }) throws(StrategyError) {
        let reloader = reloader, fileName = fileName
        try watcher.start { changes in
            guard changes.contains(where: { $0.fileName == fileName }) else { return }
            onReload(reloader.reload())
        }
    }

    /// Stops watching (within about 50 ms).
    public func stop() {
        watcher.stop()
    }
}
#endif
