import CLua
import Indicators

/// Building an instance: a fresh sandboxed state, the runtime prelude, the plugin sources, the
/// strategy module, then `setup` (checks, params, indicators, alerts, migrate, init) and the
/// context tables. Nothing is shared with any other instance.
extension StrategyInstance {
    /// What `setup` reported, copied out of Lua.
    struct SetupInfo {
        var timeframe: String
        var indicators: [(key: String, spec: IndicatorSpec)]
        var params: [String: StrategyParameter]
        var alerts: [(name: String, severity: StrategyAlert.Severity, cooldown: Int64)]
        var hasOnCandle: Bool
        var hasOnTick: Bool
        var hasRisk: Bool
    }

    /// The Lua handles of a built state.
    struct Handles {
        let lua: LuaState
        let prelude: LuaTable
        let step: LuaFunction
        let locate: LuaFunction
        let required: LuaFunction
        let model: LuaFunction
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
        let outcome: Result<(Handles, LuaValue, String?), StrategyError>
        do throws(LuaError) {
            let lua = try LuaState(limits: configuration.limits)
            let whereFunction = try lua.makeCFunction("where", chloe_where_function(), upvalue: nil)
            try lua.setGlobal("__chloe_where", .function(whereFunction))
            try lua.setGlobal("__chloe_known", .string(knownIndicators))
            let seriesFunction = try lua.makeCFunction("series", chloe_series_maker_function(), upvalue: nil)
            try lua.setGlobal("__chloe_series", .function(seriesFunction))
            try lua.register("__chloe_ind_make") { call throws(LuaHostError) in
                let id = try declare(call, into: declarations)
                call.push(integer: id)
            }
            let prelude = try lua.loadModule(bytecode: StrategyPrelude.bytecode)
            let plugin = try prelude.function("plugin")
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
            let setup = try prelude.function("setup")
            let (problem, info) = try lua.call(setup, arguments: { arguments in
                arguments.push(module)
                arguments.push(version.fileName)
                arguments.push(overrideTable)
                arguments.push(ctx)
                arguments.push(messages)
                if let copied { arguments.push(copied) } else { arguments.pushNil() }
            }, results: { ($0.optionalString(at: 0), $0.value(at: 1)) })
            let handles = Handles(lua: lua, prelude: prelude, step: try prelude.function("step"),
                                  locate: try prelude.function("locate"),
                                  required: try prelude.function("required"), model: try prelude.function("model"),
                                  ctx: ctx, messages: messages)
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
        do {
            let spec = try IndicatorSpec(parsing: parts.joined(separator: ":"))
            _ = try spec.makeIndicator()
            declarations.specs.append(spec)
            return declarations.specs.count
        } catch {
            throw LuaHostError("ind.\(name): \(error)")
        }
    }

    private static func parse(_ info: LuaValue, declarations: Declarations, version: StrategyVersion) throws(StrategyError) -> SetupInfo {
        let fields = info.fields ?? [:]
        var indicators: [(key: String, spec: IndicatorSpec)] = []
        for (key, id) in (fields["indicators"]?.fields ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let id = id.number, id >= 1, Int(id) <= declarations.specs.count else { continue }
            indicators.append((key, declarations.specs[Int(id) - 1]))
        }
        var params: [String: StrategyParameter] = [:]
        for (key, value) in fields["params"]?.fields ?? [:] { params[key] = StrategyParameter(value) }
        let alertFields = fields["alerts"]?.fields ?? [:]
        let order = (fields["alert_order"]?.string ?? "").split(separator: "\n").map(String.init)
        let alerts = order.map { name in
            let entry = alertFields[name]?.fields ?? [:]
            let severity = StrategyAlert.Severity(rawValue: entry["severity"]?.string ?? "") ?? .warning
            let cooldown = Int64(((entry["cooldown"]?.number ?? 60) * 1000).rounded())
            return (name: name, severity: severity, cooldown: cooldown)
        }
        return SetupInfo(timeframe: fields["timeframe"]?.string ?? "1m", indicators: indicators, params: params,
                         alerts: alerts, hasOnCandle: fields["on_candle"]?.boolean ?? false,
                         hasOnTick: fields["on_tick"]?.boolean ?? false, hasRisk: fields["risk"]?.boolean ?? false)
    }
}
