/// Shadow versions: a candidate runs beside the live version on every symbol, sees the same
/// events, and its outputs are marked shadow; promote makes it live atomically, rollback
/// returns to the version before.
extension StrategyLibrary {
    /// Validates `source` and runs it as the shadow of `name` (replacing an earlier shadow).
    @discardableResult
    public func loadShadow(name: String, source: String) throws(StrategyError) -> StrategyVersion {
        guard entries.withLock({ $0.byName[name]?.live != nil }) else {
            throw StrategyError(.notFound, strategy: name, message: "no live strategy '\(name)' to shadow")
        }
        return install(try compile(name: name, source: source), asShadow: true)
    }

    /// Makes the shadow the live version (the live one is kept for ``rollback(_:)``) and
    /// writes its source to the strategy's file, so a file event or a restart keeps it. Every
    /// symbol swaps at its next event, keeping the shadow's state.
    @discardableResult
    public func promote(_ name: String) throws(StrategyError) -> StrategyVersion {
        let version = try change(name) { entry throws(StrategyError) in
            guard let shadow = entry.shadow else {
                throw StrategyError(.noSuchVersion, strategy: name, message: "'\(name)' has no shadow version to promote")
            }
            entry.previous = entry.live
            entry.live = shadow
            entry.shadow = nil
            entry.lastError = nil
            return shadow
        }
        try writeFile(name: name, source: version.source, context: "the shadow runs live, but ")
        return version
    }

    /// Makes the previous live version live again (and the current one previous), and writes
    /// its source to the strategy's file.
    @discardableResult
    public func rollback(_ name: String) throws(StrategyError) -> StrategyVersion {
        let version = try change(name) { entry throws(StrategyError) in
            guard let previous = entry.previous else {
                throw StrategyError(.noSuchVersion, strategy: name, message: "'\(name)' has no previous version to roll back to")
            }
            entry.previous = entry.live
            entry.live = previous
            return previous
        }
        try writeFile(name: name, source: version.source, context: "the previous version runs live, but ")
        return version
    }

    /// Stops the shadow of `name`.
    public func discardShadow(_ name: String) throws(StrategyError) {
        _ = try change(name) { entry throws(StrategyError) in
            guard let shadow = entry.shadow else {
                throw StrategyError(.noSuchVersion, strategy: name, message: "'\(name)' has no shadow version")
            }
            entry.shadow = nil
            return shadow
        }
    }

    /// Recompiles the shadow of `name` with the current plugins when `plugin` changed.
    func refreshShadow(_ name: String, plugin: String) throws(StrategyError) {
        guard let shadow = entries.withLock({ $0.byName[name]?.shadow }), shadow.manifest.requires.contains(plugin) else { return }
        let version = try compile(name: name, source: shadow.source)
        if version.plugins != shadow.plugins { install(version, asShadow: true) }
    }

    private func change(_ name: String, _ body: (inout Entry) throws(StrategyError) -> StrategyVersion) throws(StrategyError) -> StrategyVersion {
        let outcome: Result<StrategyVersion, StrategyError> = entries.withLock { entries in
            guard var entry = entries.byName[name] else {
                return .failure(StrategyError(.notFound, strategy: name, message: "no strategy named '\(name)'"))
            }
            do throws(StrategyError) {
                let version = try body(&entry)
                entries.byName[name] = entry
                changes.add(1, ordering: .releasing)
                return .success(version)
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }
}
