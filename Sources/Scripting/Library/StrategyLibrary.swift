import Foundation
import Synchronization

/// The strategies the host runs, shared by every symbol: loads `strategies/*.lua`, resolves
/// their `require`s from `plugins/` only, and keeps per strategy its live version, an optional
/// shadow version, the previous live version (for rollback) and the last load error.
///
/// It is `Sendable` and thread-safe: a mutex guards the entries, and an atomic
/// ``generation`` counts every change, so each symbol's ``SymbolStrategies`` checks it per
/// event for almost nothing and picks up new versions between two events.
///
/// Every version is validated before it is accepted: compiled and set up (params,
/// indicators, alerts, `init`) in a throwaway state. A version that fails leaves the previous
/// one running; the error (file, line, message) is kept in ``status(of:)``.
public final class StrategyLibrary: Sendable {
    /// Where strategy files live (`nil`: in memory only, nothing is written).
    public let strategiesDirectory: URL?
    /// Where `require` finds plugins (`nil`: no plugins).
    public let pluginsDirectory: URL?
    /// Limits and policies for every instance.
    public let configuration: StrategyRuntimeConfiguration

    let changes = Atomic<Int>(0)
    let entries = Mutex<Entries>(Entries())

    struct Entry: Sendable {
        var live: StrategyVersion?
        var shadow: StrategyVersion?
        var previous: StrategyVersion?
        var lastError: StrategyError?
        var lastNumber = 0
    }

    struct Entries: Sendable {
        var byName: [String: Entry] = [:]
        var serial = 0
    }

    /// A strategy's versions as a symbol should run them.
    public struct Deployment: Sendable {
        public let name: String
        public let live: StrategyVersion?
        public let shadow: StrategyVersion?
    }

    public init(strategiesDirectory: URL?, pluginsDirectory: URL?, configuration: StrategyRuntimeConfiguration = .init()) {
        self.strategiesDirectory = strategiesDirectory
        self.pluginsDirectory = pluginsDirectory
        self.configuration = configuration
    }

    /// Counts every change of a live or shadow version; cheap to read on every event.
    public var generation: Int { changes.load(ordering: .acquiring) }

    /// The versions to run, by name, with the generation they belong to.
    public func deployments() -> (generation: Int, deployments: [Deployment]) {
        entries.withLock { entries in
            let list = entries.byName.keys.sorted().compactMap { name -> Deployment? in
                let entry = entries.byName[name]!
                guard entry.live != nil || entry.shadow != nil else { return nil }
                return Deployment(name: name, live: entry.live, shadow: entry.shadow)
            }
            return (changes.load(ordering: .acquiring), list)
        }
    }

    /// Names of the strategies known (loaded or failed), sorted.
    public var names: [String] {
        entries.withLock { $0.byName.keys.sorted() }
    }

    // MARK: Validation

    /// Compiles `source` as strategy `name` and sets it up in a throwaway state with the
    /// current plugins: what `chloe check` and `PUT /strategies/{name}` run before accepting
    /// a script.
    ///
    /// - Throws: ``StrategyError`` with the file, line and message of the first problem.
    public func validate(source: String, name: String) throws(StrategyError) -> StrategyManifest {
        try compile(name: name, source: source).manifest
    }

    /// A validated version (number and serial 0 until installed).
    func compile(name: String, source: String) throws(StrategyError) -> StrategyVersion {
        try Self.checkName(name)
        let plugins = try pluginSources(strategy: name)
        let fileName = name + ".lua"
        let bytecode: LuaBytecode
        do throws(LuaError) {
            bytecode = try LuaState(limits: configuration.limits).compile(source: source, name: fileName)
        } catch {
            throw StrategyError(error, strategy: name, defaultFile: fileName)
        }
        let provisional = StrategyVersion(name: name, fileName: fileName, source: source, hash: SHA256.hex(source),
                                          bytecode: bytecode, number: 0, serial: 0, plugins: plugins, pluginBytecode: [],
                                          manifest: .empty)
        let view = MarketView(symbol: "CHECK/USDT", exchange: "check", historyCapacity: 1, tradeCapacity: 1)
        let instance = try StrategyInstance(version: provisional, view: view, overrides: [:], carried: nil,
                                            configuration: configuration, isShadow: false)
        let required = instance.requiredPlugins()
        let manifest = StrategyManifest(
            timeframe: instance.timeframe, params: instance.params,
            indicators: instance.indicatorSpecs, alerts: instance.alertNames,
            hasOnCandle: instance.hasCandleCallback, hasOnTick: instance.hasTickCallback, hasRisk: instance.hasRiskRule,
            requires: required)
        let used = plugins.filter { required.contains($0.key) }
        var pluginBytecode: [PluginBytecode] = []
        do throws(LuaError) {
            let compiler = try LuaState(limits: configuration.limits)
            for (plugin, source) in used.sorted(by: { $0.key < $1.key }) {
                pluginBytecode.append(PluginBytecode(name: plugin, bytecode: try compiler.compile(source: source, name: "plugins/\(plugin).lua")))
            }
        } catch {
            throw StrategyError(error, strategy: name, defaultFile: fileName)
        }
        return StrategyVersion(name: name, fileName: fileName, source: source, hash: provisional.hash,
                               bytecode: bytecode, number: 0, serial: 0,
                               plugins: used, pluginBytecode: pluginBytecode, manifest: manifest)
    }

    /// Gives `version` its number and serial and installs it as `name`'s live (or shadow) version.
    @discardableResult
    func install(_ version: StrategyVersion, asShadow: Bool = false) -> StrategyVersion {
        entries.withLock { entries in
            entries.serial += 1
            var entry = entries.byName[version.name] ?? Entry()
            entry.lastNumber += 1
            let stamped = StrategyVersion(name: version.name, fileName: version.fileName, source: version.source,
                                          hash: version.hash, bytecode: version.bytecode,
                                          number: entry.lastNumber, serial: entries.serial,
                                          plugins: version.plugins, pluginBytecode: version.pluginBytecode,
                                          manifest: version.manifest)
            if asShadow {
                entry.shadow = stamped
            } else {
                entry.live = stamped
                entry.lastError = nil
            }
            entries.byName[version.name] = entry
            changes.add(1, ordering: .releasing)
            return stamped
        }
    }

    /// Records a failed load of `name` (the previous version, if any, keeps running).
    func recordFailure(_ error: StrategyError, name: String) {
        entries.withLock { entries in
            entries.byName[name, default: Entry()].lastError = error
        }
    }

    /// Strategy names are file names: letters, digits, `_` and `-`.
    static func checkName(_ name: String) throws(StrategyError) {
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte == 0x5f || byte == 0x2d
        }
        guard !name.isEmpty, name.utf8.count <= 64, allowed else {
            throw StrategyError(.invalidName, strategy: name,
                                message: "'\(name)' is not a strategy name: use 1-64 letters, digits, '_' or '-'")
        }
    }
}

extension StrategyManifest {
    static let empty = StrategyManifest(timeframe: "1m", params: [:], indicators: [:], alerts: [],
                                        hasOnCandle: false, hasOnTick: false, hasRisk: false, requires: [])
}
