import CLua
import Indicators
import Model

/// One strategy version running for one symbol: its own Lua state (nothing shared with other
/// symbols or strategies), its own streaming indicators on its timeframe, its alert edges and
/// cooldowns, its fault count. Driven synchronously by ``SymbolStrategies``.
///
/// Per event the host writes the changed `ctx` fields in place (no rebuild, no allocation for
/// numbers), then makes one protected call into the runtime's `step`, which runs the callback,
/// the risk rule and the alert conditions.
final class StrategyInstance {
    enum Event {
        case candle
        case tick
    }

    let version: StrategyVersion
    var isShadow: Bool
    let view: MarketView
    let timeframe: String
    let params: [String: StrategyParameter]
    let alertNames: [String]
    private let alertSeverities: [StrategyAlert.Severity]
    private let alertKeys: [LuaKey]
    var alertGate: AlertGate
    var faults: FaultTracker
    let hasCandleCallback: Bool
    let hasTickCallback: Bool
    let hasRiskRule: Bool
    /// Indicator key -> `name:param:param`.
    let indicatorSpecs: [String: String]

    let lua: LuaState
    private let prelude: LuaTable
    private let stepFunction: LuaFunction
    private let locateFunction: LuaFunction
    let ctx: LuaTable
    private let messages: LuaTable
    /// The script's `ctx.state`: carried to the next version.
    let state: LuaTable
    private let candleTable: LuaTable
    private let modelTable: LuaTable
    private let probabilityTable: LuaTable
    private let history: SeriesBuffer
    private let logs: LogBuffer

    private var indicators: [IndicatorSlot]
    private var atr: ATR
    private let keys: ContextKeys
    private var written = WrittenValues()

    /// The plugins the strategy required while it loaded, sorted.
    let requiredPlugins: [String]

    init(version: StrategyVersion, view: MarketView, overrides: [String: StrategyParameter], carried: LuaTable?,
         configuration: StrategyRuntimeConfiguration, isShadow: Bool) throws(StrategyError) {
        let (handles, info) = try Self.build(version: version, view: view, overrides: overrides, carried: carried,
                                             configuration: configuration)
        self.version = version
        self.isShadow = isShadow
        self.view = view
        timeframe = info.timeframe
        params = info.params
        alertNames = info.alerts.map(\.name)
        alertSeverities = info.alerts.map(\.severity)
        alertGate = AlertGate(cooldowns: info.alerts.map(\.cooldown))
        faults = FaultTracker(threshold: configuration.faultThreshold, window: configuration.faultWindow)
        hasCandleCallback = info.hasOnCandle
        hasTickCallback = info.hasOnTick
        hasRiskRule = info.hasRisk
        indicatorSpecs = Dictionary(uniqueKeysWithValues: info.indicators.map { entry in
            (entry.key, ([entry.spec.definition.name] + entry.spec.values.map(IndicatorSpec.format)).joined(separator: ":"))
        })
        let lua = handles.lua
        let view = view
        self.lua = lua
        prelude = handles.prelude
        stepFunction = handles.step
        locateFunction = handles.locate
        ctx = handles.ctx
        messages = handles.messages
        history = view.history(info.timeframe)
        logs = LogBuffer()
        let fail = { (error: LuaError) in StrategyError(error, strategy: version.name, defaultFile: version.fileName) }
        do throws(LuaError) {
            alertKeys = try info.alerts.map { alert throws(LuaError) in try lua.key(alert.name) }
            keys = try ContextKeys(lua)
            candleTable = try lua.newTable()
            modelTable = try lua.newTable()
            probabilityTable = try lua.newTable()
            let indTable = try lua.newTable()
            indicators = []
            for (key, spec) in info.indicators {
                indicators.append(try IndicatorSlot(key: key, spec: spec, table: indTable, lua: lua))
            }
            atr = (try? ATR(period: configuration.risk.atrPeriod)) ?? (try! ATR())
            try ctx.set(keys.symbol, view.symbol)
            try ctx.set(keys.exchange, view.exchange)
            try ctx.set(keys.timeframe, info.timeframe)
            try ctx.set(keys.candle, candleTable)
            try ctx.set(keys.ind, indTable)
            try ctx.set(keys.model, modelTable)
            try modelTable.set(keys.probabilities, probabilityTable)
            try ctx.set(keys.history, try lua.makeCFunction("history", chloe_series_function(), upvalue: UnsafeMutableRawPointer(history.header)))
            try ctx.set(keys.trades, try lua.makeCFunction("trades", chloe_series_function(), upvalue: UnsafeMutableRawPointer(view.trades.header)))
            try ctx.set(keys.log, try lua.function("print"))
            let bind = try prelude.function("bind")
            try lua.call(bind, results: { _ in })
            guard let state = try ctx.table("state") else {
                throw LuaError.missingFunction("state", found: "not a table")
            }
            self.state = state
            requiredPlugins = try lua.call(handles.required, results: { $0.optionalString(at: 0) ?? "" })
                .split(separator: "\n").map(String.init)
        } catch {
            throw fail(error)
        }
        let logs = self.logs
        self.lua.printHandler = { line in logs.lines.append(line) }
        warmUp()
        do throws(LuaError) {
            try writeMarket()
            if let candle = view.lastCandles[timeframe] { try writeCandle(candle) }
        } catch {
            throw fail(error)
        }
    }

    /// Feeds the candles the view already holds for this timeframe, so a reloaded version
    /// starts with warm indicators.
    private func warmUp() {
        var age = history.count - 1
        while age >= 0, let row = history.row(age: age) {
            let candle = Candle(time: Int64(row[0]), open: row[1], high: row[2], low: row[3], close: row[4], volume: row[5])
            updateIndicators(candle)
            age -= 1
        }
        for index in indicators.indices { try? indicators[index].publish() }
    }

    private func updateIndicators(_ candle: Candle) {
        for index in indicators.indices { _ = try? indicators[index].indicator.update(candle) }
        _ = try? atr.update(candle)
    }

    // MARK: Events

    /// What one call of `step` returned.
    struct StepResult {
        var score: Double?
        var confidence: Double?
        var reason: String?
        var size: Double?
        var stop: Double?
        var takeProfit: Double?
        var vetoed: Bool
        var note: String?
        var mask: UInt64
    }

    /// Runs the strategy for one event and appends what it produced to `output`.
    /// Returns the step's result (nil when it did not run or failed), for shadow comparison.
    @discardableResult
    func run(_ event: Event, candle: Candle?, configuration: StrategyRuntimeConfiguration, output: StrategyOutput) -> StepResult? {
        guard !faults.isParked else { return nil }
        if let candle {
            updateIndicators(candle)
        }
        let calls = event == .candle ? hasCandleCallback : hasTickCallback
        guard calls || !alertNames.isEmpty else {
            if let candle { try? publish(candle) }
            return nil
        }
        do throws(LuaError) {
            if let candle { try publish(candle) }
            try writeMarket()
            let price = view.lastPrice
            let proposal = configuration.risk.propose(price: price, atr: atr.value)
            let result = try lua.call(stepFunction, arguments: { arguments in
                arguments.push(event == .candle ? 1 : 2)
                arguments.push(price)
                arguments.push(proposal.size)
                if let stop = proposal.stopDistance { arguments.push(stop) } else { arguments.pushNil() }
                if let take = proposal.takeDistance { arguments.push(take) } else { arguments.pushNil() }
                arguments.push(atr.value)
            }, results: { results in
                let mask = UInt64(max(0, results.number(at: 8)))
                guard let score = results.optionalNumber(at: 0) else {
                    return StepResult(score: nil, confidence: nil, reason: nil, size: nil, stop: nil, takeProfit: nil,
                                      vetoed: false, note: nil, mask: mask)
                }
                return StepResult(
                    score: score, confidence: results.optionalNumber(at: 1), reason: results.optionalString(at: 2),
                    size: results.optionalNumber(at: 3), stop: results.optionalNumber(at: 4),
                    takeProfit: results.optionalNumber(at: 5), vetoed: results.truthiness(at: 6),
                    note: results.optionalString(at: 7), mask: mask)
            })
            emit(result, trigger: event == .candle ? timeframe : "tick", output: output)
            drainLogs(into: output)
            return result
        } catch {
            drainLogs(into: output)
            fault(error, output: output)
            return nil
        }
    }

    private func emit(_ result: StepResult, trigger: String, output: StrategyOutput) {
        let now = view.now
        if let score = result.score, let level = RatingLevel(score: Int(score)) {
            var risk: StrategyRisk?
            if level != .neutral {
                risk = StrategyRisk(size: result.vetoed ? 0 : (result.size ?? 0), stopLoss: result.stop,
                                    takeProfit: result.takeProfit, vetoed: result.vetoed, note: result.note)
            }
            output.signals.append(StrategySignal(
                strategy: version.name, symbol: view.symbol, level: level, reason: result.reason ?? "",
                confidence: result.confidence ?? 1, sourceHash: version.hash, version: version.number,
                trigger: trigger, time: now, risk: risk, indicators: indicatorValues(), isShadow: isShadow))
        }
        if result.mask != 0 || alertGate.count > 0 {
            alertGate.update(mask: result.mask, now: now) { index in
                let message = messages[alertKeys[index]].string ?? alertNames[index]
                output.alerts.append(StrategyAlert(
                    strategy: version.name, symbol: view.symbol, name: alertNames[index], severity: alertSeverities[index],
                    message: message, time: now, price: view.lastPrice.isFinite ? view.lastPrice : nil, isShadow: isShadow))
            }
        }
    }

    /// The declared indicator outputs with values: `rsi`, `macd.hist`, ...
    func indicatorValues() -> [String: Double] {
        var values: [String: Double] = [:]
        for slot in indicators {
            for (index, name) in slot.names.enumerated() {
                let value = slot.indicator.value(index)
                if value.isFinite { values[name] = value }
            }
        }
        return values
    }

    private func fault(_ error: LuaError, output: StrategyOutput) {
        let described = StrategyError(error, strategy: version.name, defaultFile: version.fileName)
        var file = described.file
        var line = described.line
        if error.code == .instructionBudgetExceeded, let kill = lua.budgetKillLocation {
            // where the budget ran out, not where a caught kill was raised again
            (file, line) = (kill.file, kill.line)
        }
        if line == nil || file == StrategyPrelude.chunkName, let (callbackFile, callbackLine) = runningCallback() {
            // a memory error carries no position: name the callback that was running
            file = callbackFile
            line = callbackLine
        }
        output.faults.append(StrategyFault(strategy: version.name, symbol: view.symbol, file: file,
                                           line: line, message: described.message, time: view.now, isShadow: isShadow))
        if faults.record(at: view.now) {
            output.notices.append(StrategyNotice(
                kind: .parked, strategy: version.name, symbol: view.symbol, version: version.number,
                message: "\(faults.threshold) faults within \(faults.window / 1000) s; parked until a new version is loaded",
                isShadow: isShadow))
        }
    }

    /// File and first line of the callback the last step was running.
    private func runningCallback() -> (String, Int)? {
        try? lua.collectGarbage()
        guard let located = try? lua.call(locateFunction, results: { results -> (String, Int)? in
            guard let file = results.optionalString(at: 0), let line = results.optionalNumber(at: 1) else { return nil }
            return (file, Int(line))
        }) else { return nil }
        return located
    }

    private func drainLogs(into output: StrategyOutput) {
        guard !logs.lines.isEmpty else { return }
        for line in logs.lines {
            output.logs.append(StrategyLog(strategy: version.name, symbol: view.symbol, line: line, time: view.now))
        }
        logs.lines.removeAll(keepingCapacity: true)
    }

    // MARK: Writing ctx

    private func publish(_ candle: Candle) throws(LuaError) {
        for index in indicators.indices { try indicators[index].publish() }
        try writeCandle(candle)
    }

    private func writeCandle(_ candle: Candle) throws(LuaError) {
        try candleTable.set(keys.time, Double(candle.time))
        try candleTable.set(keys.open, candle.open)
        try candleTable.set(keys.high, candle.high)
        try candleTable.set(keys.low, candle.low)
        try candleTable.set(keys.close, candle.close)
        try candleTable.set(keys.volume, candle.volume)
    }

    /// Writes the market fields that changed since the last event.
    private func writeMarket() throws(LuaError) {
        var cache = written
        defer { written = cache }
        try write(keys.now, Double(view.now), &cache.now)
        try write(keys.price, view.lastPrice.isFinite ? view.lastPrice : nil, &cache.price)
        let bid = view.bid
        let ask = view.ask
        if bid != nil || ask != nil || cache.bid != nil || cache.ask != nil {
            try write(keys.bid, bid, &cache.bid)
            try write(keys.ask, ask, &cache.ask)
            try write(keys.spread, bid.flatMap { bid in ask.map { $0 - bid } }, &cache.spread)
        }
        try write(keys.bidSize, view.bidSize, &cache.bidSize)
        try write(keys.askSize, view.askSize, &cache.askSize)
        try write(keys.imbalance, view.bookImbalance, &cache.imbalance)
        if view.rating != cache.rating {
            cache.rating = view.rating
            if let rating = view.rating {
                try modelTable.set(keys.rating, rating.name)
                try modelTable.set(keys.score, Double(rating.score))
            } else {
                try modelTable.remove(keys.rating)
                try modelTable.remove(keys.score)
            }
        }
        if view.modelVersion != cache.modelVersion {
            cache.modelVersion = view.modelVersion
            if let modelVersion = view.modelVersion { try modelTable.set(keys.version, modelVersion) } else { try modelTable.remove(keys.version) }
        }
        if view.probabilities != cache.probabilities {
            cache.probabilities = view.probabilities
            for (index, key) in keys.levels.enumerated() {
                if let probabilities = view.probabilities, index < probabilities.count {
                    try probabilityTable.set(key, probabilities[index])
                } else {
                    try probabilityTable.remove(key)
                }
            }
        }
    }

    @inline(__always)
    private func write(_ key: LuaKey, _ value: Double?, _ cache: inout Double?) throws(LuaError) {
        if value == cache { return }
        cache = value
        if let value { try ctx.set(key, value) } else { try ctx.remove(key) }
    }
}

/// Lines printed by one instance's script during a call.
final class LogBuffer {
    var lines: [String] = []
}

/// The ctx values last written, to skip unchanged writes.
struct WrittenValues {
    var now: Double?
    var price: Double?
    var bid: Double?
    var ask: Double?
    var spread: Double?
    var bidSize: Double?
    var askSize: Double?
    var imbalance: Double?
    var rating: RatingLevel?
    var modelVersion: String?
    var probabilities: [Double]?
}
