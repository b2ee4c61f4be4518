import Foundation

/// Loading from and writing to the strategy and plugin folders.
extension StrategyLibrary {
    /// Loads every `*.lua` in the strategies folder (a new version of each) and unloads
    /// strategies whose file is gone: the start-up load and what `SIGHUP` should call.
    /// Returns the errors of the files that did not load (their previous versions keep running).
    @discardableResult
    public func reloadAll() -> [StrategyError] {
        let files = strategyFiles()
        var errors: [StrategyError] = []
        for name in files.sorted() {
            do throws(StrategyError) {
                try reload(name)
            } catch {
                errors.append(error)
            }
        }
        for name in names where !files.contains(name) { unload(name) }
        return errors
    }

    /// Loads `name` from its file again as a new version (also un-parks it on every symbol).
    ///
    /// - Throws: ``StrategyError``; the previous version keeps running and the error is kept
    ///   in ``status(of:)``.
    @discardableResult
    public func reload(_ name: String) throws(StrategyError) -> StrategyVersion {
        try load(name, force: true)
    }

    /// Loads `name` from its file if its source or its plugins changed (what the file watcher calls).
    @discardableResult
    public func refresh(_ name: String) throws(StrategyError) -> StrategyVersion? {
        try load(name, force: false)
    }

    private func load(_ name: String, force: Bool) throws(StrategyError) -> StrategyVersion {
        do {
            let source = try readStrategy(name)
            let version = try compile(name: name, source: source)
            if !force, let live = entries.withLock({ $0.byName[name]?.live }),
               live.hash == version.hash, live.plugins == version.plugins {
                return live
            }
            return install(version)
        } catch {
            recordFailure(error, name: name)
            throw error
        }
    }

    /// Validates `source` and, only if it is valid, writes it as `strategies/<name>.lua` and
    /// makes it the live version (`PUT /strategies/{name}`). A broken script is refused with
    /// its line and message; nothing changes.
    @discardableResult
    public func upsert(name: String, source: String) throws(StrategyError) -> StrategyVersion {
        let version = try compile(name: name, source: source)
        try writeFile(name: name, source: source)
        return install(version)
    }

    /// Writes `source` as `strategies/<name>.lua` (atomically), so the file holds what runs
    /// and a later file event or restart loads the same version. Nothing without a folder.
    func writeFile(name: String, source: String, context: String = "") throws(StrategyError) {
        guard let directory = strategiesDirectory else { return }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(source.utf8).write(to: directory.appendingPathComponent(name + ".lua"), options: .atomic)
        } catch {
            throw StrategyError(.io, strategy: name, file: name + ".lua",
                                message: "\(context)could not write the strategy file: \(error.localizedDescription)")
        }
    }

    /// Deletes `strategies/<name>.lua` and unloads the strategy from every symbol.
    public func remove(_ name: String) throws(StrategyError) {
        try Self.checkName(name)
        guard entries.withLock({ $0.byName[name] != nil }) else {
            throw StrategyError(.notFound, strategy: name, message: "no strategy named '\(name)'")
        }
        if let directory = strategiesDirectory {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name + ".lua"))
        }
        unload(name)
    }

    /// Forgets `name` (its file is gone): every symbol drops it at its next event.
    public func unload(_ name: String) {
        entries.withLock { entries in
            if entries.byName.removeValue(forKey: name) != nil { changes.add(1, ordering: .releasing) }
        }
    }

    /// Reloads every strategy that requires plugin `plugin` (and those whose last load failed,
    /// which may have been waiting for it). Returns the errors.
    @discardableResult
    public func pluginChanged(_ plugin: String) -> [StrategyError] {
        let dependents = entries.withLock { entries in
            entries.byName.filter { _, entry in
                entry.lastError != nil
                    || entry.live?.manifest.requires.contains(plugin) == true
                    || entry.shadow?.manifest.requires.contains(plugin) == true
            }.keys.sorted()
        }
        var errors: [StrategyError] = []
        for name in dependents {
            do throws(StrategyError) {
                try refresh(name)
                try refreshShadow(name, plugin: plugin)
            } catch {
                errors.append(error)
            }
        }
        return errors
    }

    // MARK: Reading files

    /// Names of the `*.lua` files in the strategies folder.
    func strategyFiles() -> Set<String> {
        guard let directory = strategiesDirectory,
              let files = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        return Set(files.filter { $0.hasSuffix(".lua") && !$0.hasPrefix(".") }.map { String($0.dropLast(4)) })
    }

    private func readStrategy(_ name: String) throws(StrategyError) -> String {
        try Self.checkName(name)
        guard let directory = strategiesDirectory else {
            throw StrategyError(.notFound, strategy: name, message: "the library has no strategies folder to load '\(name)' from")
        }
        let url = directory.appendingPathComponent(name + ".lua")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw StrategyError(.notFound, strategy: name, file: name + ".lua", message: "cannot read \(url.path)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Every plugin's source, by module name (`plugins/zscore.lua` -> `zscore`).
    func pluginSources(strategy: String) throws(StrategyError) -> [String: String] {
        guard let directory = pluginsDirectory,
              let files = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [:] }
        var sources: [String: String] = [:]
        for file in files where file.hasSuffix(".lua") && !file.hasPrefix(".") {
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(file).path) else {
                throw StrategyError(.io, strategy: strategy, file: "plugins/" + file, message: "cannot read the plugin file")
            }
            sources[String(file.dropLast(4))] = String(decoding: data, as: UTF8.self)
        }
        return sources
    }
}
