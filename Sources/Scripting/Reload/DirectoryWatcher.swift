#if canImport(Glibc)
import Foundation
import Glibc
import Synchronization

/// Watches directories with inotify and reports changed file names after a quiet period, so
/// an editor's save burst (write temp, rename, chmod) arrives as one change.
///
/// It runs on its own thread, polling the inotify descriptor every 50 ms to notice ``stop()``.
public final class DirectoryWatcher: Sendable {
    /// Files changed (created, written, moved in or out, deleted) since the last report.
    public struct Change: Sendable, Hashable {
        public let directory: URL
        public let fileName: String
    }

    private let directories: [URL]
    private let debounce: Duration
    private let running = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)

    /// - Parameters:
    ///   - directories: folders to watch (not recursive); missing ones are skipped.
    ///   - debounce: quiet time after the last event before the batch is reported.
    public init(directories: [URL], debounce: Duration = .milliseconds(200)) {
        self.directories = directories
        self.debounce = debounce
    }

    /// Starts watching; `handler` gets each batch of changes on the watcher's thread.
    ///
    /// - Throws: ``StrategyError`` (code `.io`) when inotify is unavailable.
    public func start(_ handler: @escaping @Sendable ([Change]) -> Void) throws(StrategyError) {
        guard !running.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else {
            running.store(false, ordering: .releasing)
            throw StrategyError(.io, strategy: "", message: "inotify_init1 failed (errno \(errno)); hot reload is off")
        }
        var watches: [Int32: URL] = [:]
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE)
        for directory in directories {
            let watch = inotify_add_watch(descriptor, directory.path, mask)
            if watch >= 0 { watches[watch] = directory }
        }
        let thread = Thread { [self, watches] in
            loop(descriptor: descriptor, watches: watches, handler: handler)
            close(descriptor)
        }
        thread.name = "chloe-watcher"
        thread.start()
    }

    /// Stops the watcher thread (within about 50 ms).
    public func stop() {
        stopped.store(true, ordering: .releasing)
    }

    private func loop(descriptor: Int32, watches: [Int32: URL], handler: @Sendable ([Change]) -> Void) {
        var pending: [Change] = []
        var lastEvent = ContinuousClock.now
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 64 * 1024, alignment: 8)
        defer { buffer.deallocate() }
        while !stopped.load(ordering: .acquiring) {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 50)
            if ready > 0 {
                let count = read(descriptor, buffer, 64 * 1024)
                var offset = 0
                while count > 0, offset < count {
                    let event = buffer.advanced(by: offset).assumingMemoryBound(to: inotify_event.self)
                    let length = Int(event.pointee.len)
                    if length > 0, let directory = watches[event.pointee.wd] {
                        let namePointer = buffer.advanced(by: offset + MemoryLayout<inotify_event>.size).assumingMemoryBound(to: CChar.self)
                        let change = Change(directory: directory, fileName: String(cString: namePointer))
                        if !pending.contains(change) { pending.append(change) }
                        lastEvent = .now
                    }
                    offset += MemoryLayout<inotify_event>.size + length
                }
            }
            if !pending.isEmpty, ContinuousClock.now - lastEvent >= debounce {
                handler(pending)
                pending.removeAll()
            }
        }
    }
}
#endif
