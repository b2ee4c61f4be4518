import CLua
import Indicators
import Synchronization

/// Building an instance: a fresh sandboxed state, the runtime prelude, the plugin sources, the
/// strategy module, then `setup` (checks, params, indicators, alerts, migrate, init) and the
/// context tables. Nothing is shared with any other instance.
extension StrategyInstance {
    /// What `setup` reported, copied out of Lua.
    struct SetupInfo {
        var timeframe: String
        var indicators: [(key: String, spec: IndicatorSpec)]
        /// The resolved params; only read (and so only copied out) where the version is validated.
        var params: [String: StrategyParameter]
        var alerts: [(name: String, severity: StrategyAlert.Severity, cooldown: Int64)]
        var hasOnCandle: Bool
        var hasOnTick: Bool
        var hasRisk: Bool
    }

    /// `setup`'s results as Lua returned them: flat strings, no table to walk.
    struct SetupResults {
        var timeframe: String
        var flags: Int
        var indicators: String
        var alertNames: String
        var severities: String
        var cooldowns: String
        var params: LuaValue
    }

    /// The Lua handles of a built state.
    struct Handles {
        let lua: LuaState
        let step: LuaFunction
        let locate: LuaFunction
        let required: LuaFunction
        let bind: LuaFunction
        let ctx: LuaTable
        let messages: LuaTable
    }

    /// Indicator declarations made by `ind.<name>(...)` while the strategy loads.
    final class Declarations {
        var specs: [IndicatorSpec] = []
    }

    static let knownIndicators = IndicatorCatalog.all.map(\.name).joined(separator: ", ")

    /// Loads `version` into a new state for `view` and runs its setup.
    static func build(version: StrategyVersion, view: MarketView, overrides: [String: StrategyParameter],
                      carried: LuaTable?, configuration: StrategyRuntimeConfiguration)
        throws(StrategyError) -> (Handles, SetupInfo) {
        let fail = { (error: LuaError) in StrategyError(error, strategy: version.name, defaultFile: version.fileName) }
        let declarations = Declarations()
        let outcome: Result<(Handles, SetupResults, String?), StrategyError>
        do throws(LuaError) {
            // the collector waits while the state is built (all of it is kept); see `finishBuilding`
            let lua = try LuaState(limits: configuration.limits, building: true)
            let indMake = try lua.makeHostFunction("__chloe_ind_make") { call throws(LuaHostError) in
                let id = try declare(call, into: declarations)
                call.push(integer: id)
            }
            // the prelude's own arguments (never globals): where, series, ind_make, the known indicators
            let prelude = try lua.withCString(knownIndicators) { known, length throws(LuaError) in
                try lua.loadModule(bytecode: StrategyPrelude.bytecode, functions: [chloe_where_function(), chloe_series_maker_function()],
                                   arguments: [.reference(indMake.ref), .string(known, length: length)])
            }
            // the table checks run where the version is validated (serial 0), not in every symbol's state
            let check = version.serial == 0 ? try lua.loadModule(bytecode: StrategyPrelude.checkBytecode).function("check") : nil
            let entries = try prelude.functions(["plugin", "setup", "step", "locate", "required", "bind"])
            let plugin = entries[0]
            if version.pluginBytecode.isEmpty {
                for (name, source) in version.plugins.sorted(by: { $0.key < $1.key }) {
                    try lua.call(plugin, arguments: { $0.push(name); $0.push(source) }, results: { _ in })
                }
            } else {
                for compiled in version.pluginBytecode {
                    let chunk = try lua.loadChunk(bytecode: compiled.bytecode)
                    try lua.call(plugin, arguments: { $0.push(compiled.name); $0.push(chunk) }, results: { _ in })
                }
            }
            let module = try lua.loadModule(bytecode: version.bytecode)
            let ctx = try lua.newTable()
            let messages = try lua.newTable()
            let overrideTable = try lua.newTable()
            for (name, value) in overrides { try overrideTable.set(name, value.argument) }
            let copied = try carried.map { table throws(LuaError) in try lua.copy(table).table }
            let setup = entries[1]
            let (problem, info) = try lua.call(setup, arguments: { arguments in
                arguments.push(module)
                arguments.push(version.fileName)
                arguments.push(overrideTable)
                arguments.push(ctx)
                arguments.push(messages)
                if let copied { arguments.push(copied) } else { arguments.pushNil() }
                if let check { arguments.push(check) } else { arguments.pushNil() }
            }, results: { results in
                (results.optionalString(at: 0), SetupResults(
                    timeframe: results.optionalString(at: 1) ?? "1m", flags: Int(results.optionalNumber(at: 2) ?? 0),
                    indicators: results.optionalString(at: 3) ?? "", alertNames: results.optionalString(at: 4) ?? "",
                    severities: results.optionalString(at: 5) ?? "", cooldowns: results.optionalString(at: 6) ?? "",
                    params: check == nil ? .nil : results.value(at: 7)))
            })
            let handles = Handles(lua: lua, step: entries[2], locate: entries[3], required: entries[4],
                                  bind: entries[5], ctx: ctx, messages: messages)
            outcome = .success((handles, info, problem))
        } catch {
            outcome = .failure(fail(error))
        }
        let (handles, info, problem) = try outcome.get()
        if let problem { throw StrategyError(problem: problem, strategy: version.name, defaultFile: version.fileName) }
        return (handles, try parse(info, declarations: declarations, version: version))
    }

    /// `ind.<name>(params...)`: checks the declaration and returns its id (1-based).
    private static func declare(_ call: borrowing LuaHostCall, into declarations: Declarations) throws(LuaHostError) -> Int {
        let name = try call.string(at: 0)
        var parts = [name]
        for position in 1..<max(1, call.argumentCount) {
            guard let value = try? call.number(at: position) else {
                throw LuaHostError("ind.\(name): parameter \(position) is a \(call.value(at: position).typeName); expected a number")
            }
            parts.append(IndicatorSpec.format(value))
        }
        let text = parts.joined(separator: ":")
        if let spec = checkedSpecs.withLock({ $0[text] }) {
            declarations.specs.append(spec)
            return declarations.specs.count
        }
        do {
            let spec = try IndicatorSpec(parsing: text)
            _ = try spec.makeIndicator()
            checkedSpecs.withLock { specs in
                if specs.count < maximumCheckedSpecs { specs[text] = spec }
            }
            declarations.specs.append(spec)
            return declarations.specs.count
        } catch {
            throw LuaHostError("ind.\(name): \(error)")
        }
    }

    /// Declarations already parsed and checked, by `name:param:...`: every symbol's state of a
    /// version declares the same few. Capped, so a script declaring endlessly many grows nothing.
    private static let checkedSpecs = Mutex<[String: IndicatorSpec]>([:])
    private static let maximumCheckedSpecs = 4_096

    private static func parse(_ info: SetupResults, declarations: Declarations, version: StrategyVersion) throws(StrategyError) -> SetupInfo {
        var indicators: [(key: String, spec: IndicatorSpec)] = []
        for line in info.indicators.split(separator: "\n") {
            guard let space = line.firstIndex(of: " "), let id = Int(line[line.index(after: space)...]),
                  id >= 1, id <= declarations.specs.count else { continue }
            indicators.append((String(line[..<space]), declarations.specs[id - 1]))
        }
        var params: [String: StrategyParameter] = [:]
        for (key, value) in info.params.fields ?? [:] { params[key] = StrategyParameter(value) }
        let names = info.alertNames.split(separator: "\n")
        let severities = info.severities.split(separator: " ")
        let cooldowns = info.cooldowns.split(separator: " ")
        let alerts = names.indices.map { index in
            let severity = index < severities.count ? StrategyAlert.Severity(rawValue: String(severities[index])) : nil
            let cooldown = index < cooldowns.count ? Double(cooldowns[index]) ?? 60 : 60
            return (name: String(names[index]), severity: severity ?? .warning, cooldown: Int64((cooldown * 1000).rounded()))
        }
        return SetupInfo(timeframe: info.timeframe, indicators: indicators, params: params, alerts: alerts,
                         hasOnCandle: info.flags & 1 != 0, hasOnTick: info.flags & 2 != 0, hasRisk: info.flags & 4 != 0)
    }
}
