/// A strategy as the API reports it.
public struct StrategyStatus: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        /// The live version runs.
        case running
        /// The last load failed and an older version keeps running.
        case runningPreviousVersion = "running_previous_version"
        /// It never loaded: nothing runs.
        case failed
    }

    public var name: String
    public var state: State
    /// The live version (nil when it never loaded).
    public var live: StrategyVersion?
    public var shadow: StrategyVersion?
    /// The version ``StrategyLibrary/rollback(_:)`` would restore.
    public var previous: StrategyVersion?
    /// The last load error (file, line, message), until a load succeeds.
    public var lastError: StrategyError?
}

extension StrategyLibrary {
    /// Every known strategy, sorted by name.
    public func statuses() -> [StrategyStatus] {
        entries.withLock { entries in entries.byName.keys.sorted().map { Self.status($0, entries.byName[$0]!) } }
    }

    /// The strategy `name`, or nil.
    public func status(of name: String) -> StrategyStatus? {
        entries.withLock { entries in entries.byName[name].map { Self.status(name, $0) } }
    }

    private static func status(_ name: String, _ entry: Entry) -> StrategyStatus {
        let state: StrategyStatus.State = entry.live == nil ? .failed : (entry.lastError == nil ? .running : .runningPreviousVersion)
        return StrategyStatus(name: name, state: state, live: entry.live, shadow: entry.shadow,
                              previous: entry.previous, lastError: entry.lastError)
    }
}
