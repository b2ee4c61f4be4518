import Foundation
import Logging
import Scripting

/// The Lua strategy library as the API sees it: list, detail (source, hash, status, last error
/// per symbol), upload (validate, write, hot-reload; a broken source is refused with its line
/// and the old version keeps running) and reload. Loaded versions and load errors are stored.
public struct LuaStrategyCatalog: StrategyCatalog {
    public let library: StrategyLibrary
    public let registry: StrategyRegistry
    let storage: Storage?
    let logger: Logger

    public init(library: StrategyLibrary, registry: StrategyRegistry, storage: Storage?, logger: Logger) {
        self.library = library
        self.registry = registry
        self.storage = storage
        self.logger = logger
    }

    public func list() async -> [StrategySummary] {
        library.statuses().map { status in
            StrategySummary(name: status.name, hash: status.live?.hash ?? "", status: state(of: status),
                            symbols: registry.symbols(of: status.name))
        }
    }

    public func strategy(named name: String) async -> StrategyDetail? {
        guard let status = library.status(of: name) else { return nil }
        let versions = (try? await storage?.strategyVersions(name: name)) ?? []
        return detail(status, loadedAt: versions.first { $0.hash == status.live?.hash }?.loadedAt)
    }

    public func upload(name: String, source: String) async throws(StrategyRefusal) -> StrategyDetail {
        do throws(StrategyError) {
            let version = try library.upsert(name: name, source: source)
            return await loaded(version)
        } catch {
            await recordLoadError(error)
            throw Self.refusal(error)
        }
    }

    public func reload(name: String) async throws(StrategyRefusal) -> StrategyDetail {
        guard library.status(of: name) != nil else { throw StrategyRefusal(status: 404, message: "no strategy named '\(name)'") }
        do throws(StrategyError) {
            let version = try library.reload(name)
            return await loaded(version)
        } catch {
            await recordLoadError(error)
            throw Self.refusal(error)
        }
    }

    /// Reloads every strategy file (start-up and SIGHUP), logging and storing what failed.
    public func reloadAll() async {
        let errors = library.reloadAll()
        for error in errors { await recordLoadError(error) }
        for status in library.statuses() {
            if let live = status.live { await store(live) }
        }
        logger.info("strategies loaded", metadata: [
            "strategies": "\(library.statuses().filter { $0.live != nil }.map(\.name).joined(separator: ","))",
            "errors": "\(errors.count)",
        ])
    }

    /// Records a version the file watcher loaded, or the error it hit.
    func watched(changed: [String], errors: [StrategyError]) async {
        for error in errors { await recordLoadError(error) }
        for name in changed {
            guard let live = library.status(of: name)?.live else { continue }
            await store(live)
            logger.info("strategy file changed", metadata: ["script.name": "\(name)", "script.hash": "\(live.hash)"])
        }
    }

    // MARK: Shadow versions

    /// Runs `source` as the shadow of `name` beside the live version.
    public func loadShadow(name: String, source: String) async throws(StrategyRefusal) -> ShadowReport {
        do throws(StrategyError) {
            try library.loadShadow(name: name, source: source)
            registry.clearShadows(of: name)
        } catch {
            throw Self.refusal(error)
        }
        return try await shadowReport(name: name)
    }

    /// The shadow of `name` and how it compares with the live version on each symbol.
    public func shadowReport(name: String) async throws(StrategyRefusal) -> ShadowReport {
        guard let status = library.status(of: name) else { throw StrategyRefusal(status: 404, message: "no strategy named '\(name)'") }
        guard let shadow = status.shadow else { throw StrategyRefusal(status: 404, message: "'\(name)' has no shadow version") }
        return ShadowReport(name: name, liveHash: status.live?.hash ?? "", shadowHash: shadow.hash,
                            symbols: registry.shadowComparisons(of: name).mapValues(ShadowReport.Comparison.init))
    }

    /// Makes the shadow of `name` live.
    public func promote(name: String) async throws(StrategyRefusal) -> StrategyDetail {
        try await change(name) { () throws(StrategyError) in try library.promote(name) }
    }

    /// Returns to the live version before the last promote or upload.
    public func rollback(name: String) async throws(StrategyRefusal) -> StrategyDetail {
        try await change(name) { () throws(StrategyError) in try library.rollback(name) }
    }

    /// Stops the shadow of `name`.
    public func discardShadow(name: String) async throws(StrategyRefusal) -> StrategyDetail {
        do throws(StrategyError) {
            try library.discardShadow(name)
        } catch {
            throw Self.refusal(error)
        }
        registry.clearShadows(of: name)
        guard let status = library.status(of: name) else { throw StrategyRefusal(status: 404, message: "no strategy named '\(name)'") }
        return detail(status, loadedAt: nil)
    }

    private func change(_ name: String, _ body: () throws(StrategyError) -> StrategyVersion) async throws(StrategyRefusal) -> StrategyDetail {
        let version: StrategyVersion
        do throws(StrategyError) {
            version = try body()
        } catch {
            throw Self.refusal(error)
        }
        registry.clearShadows(of: name)
        return await loaded(version)
    }

    // MARK: Helpers

    private func loaded(_ version: StrategyVersion) async -> StrategyDetail {
        let loadedAt = await store(version)
        logger.info("strategy loaded", metadata: ["script.name": "\(version.name)", "script.hash": "\(version.hash)",
                                                  "script.version": "\(version.number)"])
        guard let status = library.status(of: version.name) else {
            return StrategyDetail(name: version.name, hash: version.hash, status: "running", source: version.source, symbols: [], loadedAt: loadedAt)
        }
        return detail(status, loadedAt: loadedAt)
    }

    @discardableResult
    private func store(_ version: StrategyVersion) async -> Int64 {
        let now = Int64(Date.now.timeIntervalSince1970 * 1000)
        do {
            try await storage?.record(StrategyVersionRecord(name: version.name, hash: version.hash, source: version.source, loadedAt: now))
        } catch {
            logger.error("could not store the strategy version", metadata: ["script.name": "\(version.name)", "error": "\(error)"])
        }
        return now
    }

    private func recordLoadError(_ error: StrategyError) async {
        logger.error("strategy not loaded; the previous version keeps running", metadata: [
            "script.name": "\(error.strategy)", "error": "\(error)",
        ])
        guard error.code != .invalidName, error.code != .notFound else { return }
        _ = try? await storage?.record(StrategyErrorRecord(name: error.strategy, symbol: nil, time: Int64(Date.now.timeIntervalSince1970 * 1000),
                                                           line: error.line, message: error.description))
    }

    private func detail(_ status: StrategyStatus, loadedAt: Int64?) -> StrategyDetail {
        var errors: [String: StrategyErrorRecord] = [:]
        for (symbol, failure) in registry.lastErrors(of: status.name) {
            errors[symbol] = StrategyErrorRecord(name: status.name, symbol: symbol, time: 0, line: failure.line,
                                                 message: [failure.file, failure.line.map(String.init)].compactMap { $0 }.joined(separator: ":")
                                                     .appendingSeparator(": ") + failure.message)
        }
        if let error = status.lastError {
            errors["*"] = StrategyErrorRecord(name: status.name, symbol: nil, time: 0, line: error.line, message: error.description)
        }
        return StrategyDetail(name: status.name, hash: status.live?.hash ?? "", status: state(of: status),
                              source: status.live?.source ?? "", symbols: registry.symbols(of: status.name),
                              lastErrors: errors, loadedAt: loadedAt)
    }

    /// `running`, `parked` (on every symbol it ran on), `failed` (never loaded) or `not_loaded`.
    private func state(of status: StrategyStatus) -> String {
        guard status.live != nil else { return status.lastError == nil ? "not_loaded" : "failed" }
        let symbols = registry.symbols(of: status.name), parked = registry.parkedSymbols(of: status.name)
        return !symbols.isEmpty && Set(symbols).isSubset(of: parked) ? "parked" : "running"
    }

    static func refusal(_ error: StrategyError) -> StrategyRefusal {
        let status = switch error.code {
        case .notFound: 404
        case .invalidName: 400
        case .noSuchVersion: 409
        default: 422
        }
        return StrategyRefusal(status: status, message: error.line == nil ? error.description : "\(error.file ?? error.strategy): \(error.message)",
                               line: error.line)
    }
}

private extension String {
    func appendingSeparator(_ separator: String) -> String { isEmpty ? self : self + separator }
}
