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
    /// The resolved params: filled where the version is validated (they make its manifest),
    /// empty in the per-symbol states.
    let params: [String: StrategyParameter]
    let alertNames: [String]
    private let alertSeverities: [StrategyAlert.Severity]
    var alertGate: AlertGate
    var faults: FaultTracker
    let hasCandleCallback: Bool
    let hasTickCallback: Bool
    /// `!alertNames.isEmpty`, read on every event without loading the array.
    private let hasAlerts: Bool
    let hasRiskRule: Bool
    /// Indicator key -> `name:param:param`.
    var indicatorSpecs: [String: String] {
        Dictionary(uniqueKeysWithValues: indicators.map { slot in
            (slot.key, ([slot.spec.definition.name] + slot.spec.values.map(IndicatorSpec.format)).joined(separator: ":"))
        })
    }

    let lua: LuaState
    private let stepFunction: LuaFunction
    private let locateFunction: LuaFunction
    private let requiredFunction: LuaFunction
    let ctx: LuaTable
    private let messages: LuaTable
    /// The script's `ctx.state`: carried to the next version.
    let state: LuaTable
    /// The prelude's inbox: the candle's six fields, then every indicator output (NaN: none).
    private let inbox: LuaTable
    private var inboxValues: [Double]
    /// The names of the indicator outputs, in inbox order (`macd.hist`): shared by the readings
    /// of every signal.
    private let outputNames: [String]
    private let history: SeriesBuffer
    private let logs: LogBuffer

    private var indicators: [IndicatorSlot]
    private var atr: ATR
    /// The history rows the indicators (and `atr`) have been fed through, as a
    /// ``SeriesBuffer/appended`` count: behind the history when the instance was parked.
    private var fedThrough: Int
    /// The model fields last handed to the prelude.
    private var writtenModel = WrittenModel()
    /// Keys of the indicators taken over from the previous version (the others were replayed
    /// from the history), sorted.
    private(set) var carriedIndicators: [String] = []

    init(version: StrategyVersion, view: MarketView, overrides: [String: StrategyParameter], carried old: StrategyInstance?,
         configuration: StrategyRuntimeConfiguration, isShadow: Bool) throws(StrategyError) {
        let (handles, info) = try Self.build(version: version, view: view, overrides: overrides, carried: old?.state,
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
        hasAlerts = !info.alerts.isEmpty
        hasCandleCallback = info.hasOnCandle
        hasTickCallback = info.hasOnTick
        hasRiskRule = info.hasRisk
        let lua = handles.lua
        self.lua = lua
        stepFunction = handles.step
        locateFunction = handles.locate
        requiredFunction = handles.required
        ctx = handles.ctx
        messages = handles.messages
        history = view.history(info.timeframe)
        logs = LogBuffer()
        let fail = { (error: LuaError) in StrategyError(error, strategy: version.name, defaultFile: version.fileName) }
        do throws(LuaError) {
            indicators = []
            for (key, spec) in info.indicators {
                indicators.append(try IndicatorSlot(key: key, spec: spec))
            }
            atr = (try? ATR(period: configuration.risk.atrPeriod)) ?? (try! ATR())
            fedThrough = history.appended
            outputNames = indicators.flatMap(\.names)
            let layout = outputNames.joined(separator: "\n")
            inboxValues = Array(repeating: .nan, count: Self.candleFields + outputNames.count)
            inbox = try lua.newTable()
            let risk = configuration.risk
            let (symbol, exchange, timeframe, inbox) = (view.symbol, view.exchange, info.timeframe, inbox)
            let history = UnsafeMutableRawPointer(history.header), trades = UnsafeMutableRawPointer(view.trades.header)
            try lua.call(handles.bind, arguments: { arguments in
                arguments.push(symbol)
                arguments.push(exchange)
                arguments.push(timeframe)
                arguments.push(pointer: history)
                arguments.push(pointer: trades)
                arguments.push(layout)
                arguments.push(inbox)
                arguments.push(risk.equity * risk.riskFraction)
                arguments.push(risk.stopMultiple)
                arguments.push(risk.takeProfitMultiple)
            }, results: { _ in })
            guard let state = try ctx.table("state") else {
                throw LuaError.missingFunction("state", found: "not a table")
            }
            self.state = state
        } catch {
            throw fail(error)
        }
        let logs = self.logs
        self.lua.printHandler = { line in logs.lines.append(line) }
        warmUp(carryingFrom: old)
        do throws(LuaError) {
            try publish(candle: view.lastCandle(timeframe))
        } catch {
            throw fail(error)
        }
        lua.finishBuilding()
    }

    /// The plugins the strategy required while it loaded, sorted.
    func requiredPlugins() -> [String] {
        ((try? lua.call(requiredFunction, results: { $0.optionalString(at: 0) ?? "" })) ?? "")
            .split(separator: "\n").map(String.init)
    }

    /// Starts the indicators warm. Each one `old` declares identically (same key, kind and
    /// parameters, same timeframe) is taken over with its state: the values the user saw,
    /// continuous across the reload (`old` ran it over every candle since it started). Unless
    /// `old` missed candles (it was parked), then nothing is taken over. The others are replayed
    /// from the candles the view holds for this timeframe; so is the ATR unless its period and
    /// timeframe are the same.
    private func warmUp(carryingFrom old: StrategyInstance?) {
        var replay = Array(indicators.indices)
        var replayATR = true
        if let old, old.history === history, old.fedThrough == history.appended {
            replay.removeAll { index in
                guard let theirs = old.indicators.first(where: { $0.key == indicators[index].key }),
                      theirs.spec.definition.name == indicators[index].spec.definition.name,
                      theirs.spec.values == indicators[index].spec.values else { return false }
                indicators[index].indicator = theirs.indicator
                carriedIndicators.append(theirs.key)
                return true
            }
            if old.atr.period == atr.period {
                atr = old.atr
                replayATR = false
            }
        }
        guard !replay.isEmpty || replayATR else { return }
        var age = history.count - 1
        while age >= 0, let row = history.row(age: age) {
            let candle = Candle(time: Int64(row[0]), open: row[1], high: row[2], low: row[3], close: row[4], volume: row[5])
            for index in replay { _ = try? indicators[index].indicator.update(candle) }
            if replayATR { _ = try? atr.update(candle) }
            age -= 1
        }
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
    func run(_ event: Event, candle: Candle?, output: StrategyOutput) -> StepResult? {
        guard !faults.isParked else { return nil }
        if let candle {
            feed(candle)
        }
        let calls = event == .candle ? hasCandleCallback : hasTickCallback
        let kind: Double = calls || hasAlerts ? (event == .candle ? 1 : 2) : (candle == nil ? 0 : 3)
        guard kind != 0 else { return nil }
        do throws(LuaError) {
            let result = try step(kind)
            guard kind != 3 else { return nil }
            if result.score != nil || result.mask != 0 || alertGate.isArmed {
                emit(result, trigger: event == .candle ? timeframe : "tick", output: output)
            }
            if !logs.lines.isEmpty { drainLogs(into: output) }
            return result
        } catch {
            drainLogs(into: output)
            fault(error, output: output)
            return nil
        }
    }

    /// One protected call of the prelude's `step`: the market fields as arguments (the inbox
    /// already holds a candle's), then the model's rating, version and probabilities when they
    /// changed since the last step; the results read in place.
    @inline(__always)
    private func step(_ kind: Double) throws(LuaError) -> StepResult {
        let view = view
        let price = view.lastPrice
        let atr = atr.value
        let versionChanged = view.modelVersion != writtenModel.version
        let modelChanged = versionChanged || view.rating != writtenModel.rating || view.probabilities != writtenModel.probabilities
        if modelChanged {
            writtenModel = WrittenModel(rating: view.rating, version: view.modelVersion, probabilities: view.probabilities)
        }
        let model = writtenModel
        return try lua.call(stepFunction, arguments: { arguments in
            arguments.reserve(modelChanged ? 16 : 10)
            arguments.push(kind)
            arguments.push(Double(view.now))
            arguments.push(price.isFinite ? price : nil)
            arguments.push(view.bid)
            arguments.push(view.ask)
            arguments.push(view.bidSize)
            arguments.push(view.askSize)
            arguments.push(view.bookImbalance)
            arguments.push(atr.isFinite ? atr : nil)
            guard modelChanged else {
                arguments.push(false)
                return
            }
            arguments.push(model.rating.map { Double($0.score) })
            if !versionChanged {
                arguments.push(false)
            } else if let version = model.version {
                arguments.push(version)
            } else {
                arguments.pushNil()
            }
            for index in 0..<5 {
                if let probabilities = model.probabilities, index < probabilities.count {
                    arguments.push(probabilities[index])
                } else {
                    arguments.pushNil()
                }
            }
        }, results: { results in
            let mask = UInt64(max(0, results.number(at: 0)))
            guard results.count > 1 else {
                return StepResult(score: nil, confidence: nil, reason: nil, size: nil, stop: nil, takeProfit: nil,
                                  vetoed: false, note: nil, mask: mask)
            }
            return StepResult(
                score: results.optionalNumber(at: 1), confidence: results.optionalNumber(at: 2), reason: results.optionalString(at: 3),
                size: results.optionalNumber(at: 4), stop: results.optionalNumber(at: 5),
                takeProfit: results.optionalNumber(at: 6), vetoed: results.truthiness(at: 7),
                note: results.optionalString(at: 8), mask: mask)
        })
    }

    private func emit(_ result: StepResult, trigger: String, output: StrategyOutput) {
        let now = view.now
        if let score = result.score, let level = RatingLevel(score: Int(score)) {
            var risk: StrategyRisk?
            if level != .neutral {
                risk = StrategyRisk(size: result.vetoed ? 0 : (result.size ?? 0), stopLoss: result.stop,
                                    takeProfit: result.takeProfit, vetoed: result.vetoed, note: result.note)
            }
            output.append(StrategySignal(
                strategy: version.name, symbol: view.symbol, level: level, reason: result.reason ?? "",
                confidence: result.confidence ?? 1, sourceHash: version.hash, version: version.number,
                trigger: trigger, time: now, risk: risk, indicators: indicatorReadings(), isShadow: isShadow))
        }
        if result.mask != 0 || alertGate.isArmed {
            alertGate.update(mask: result.mask, now: now) { index in
                let message = messages.string(at: index + 1) ?? alertNames[index]
                output.append(StrategyAlert(
                    strategy: version.name, symbol: view.symbol, name: alertNames[index], severity: alertSeverities[index],
                    message: message, time: now, price: view.lastPrice.isFinite ? view.lastPrice : nil, isShadow: isShadow))
            }
        }
    }

    /// The declared indicator outputs with values: `rsi`, `macd.hist`, ... Read from the inbox,
    /// which holds them as of the last candle (the only event that updates them), so a signal
    /// copies an array of numbers and hashes nothing.
    func indicatorReadings() -> IndicatorReadings {
        let values = Array(inboxValues[Self.candleFields...])
        guard values.contains(where: \.isNaN) else { return IndicatorReadings(names: outputNames, values: values) }
        var names: [String] = [], kept: [Double] = []  // some still warming up: leave them out
        for (name, value) in zip(outputNames, values) where !value.isNaN {
            names.append(name)
            kept.append(value)
        }
        return IndicatorReadings(names: names, values: kept)
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
        output.append(StrategyFault(strategy: version.name, symbol: view.symbol, file: file,
                                           line: line, message: described.message, time: view.now, isShadow: isShadow))
        if faults.record(at: view.now) {
            output.append(StrategyNotice(
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
            output.append(StrategyLog(strategy: version.name, symbol: view.symbol, line: line, time: view.now))
        }
        logs.lines.removeAll(keepingCapacity: true)
    }

    // MARK: Writing ctx

    /// The inbox slots before the indicator outputs: time, open, high, low, close, volume.
    private static let candleFields = 6

    /// Feeds a closed candle to every indicator and the ATR, and writes it and the outputs
    /// into the inbox.
    private func feed(_ candle: Candle) {
        fillInbox(candle, feeding: true)
        _ = try? atr.update(candle)
        fedThrough += 1
    }

    /// Writes the candle's fields (NaN: no candle yet) and every indicator output into the inbox.
    /// `feeding`: feeds the candle to each indicator first, reaching each one once to update it
    /// and read its outputs.
    private func fillInbox(_ candle: Candle?, feeding: Bool) {
        inboxValues.withUnsafeMutableBufferPointer { box in
            box[0] = candle.map { Double($0.time) } ?? .nan
            box[1] = candle?.open ?? .nan
            box[2] = candle?.high ?? .nan
            box[3] = candle?.low ?? .nan
            box[4] = candle?.close ?? .nan
            box[5] = candle?.volume ?? .nan
            var slot = box.baseAddress! + Self.candleFields
            for k in indicators.indices {  // by index: iterating would copy each slot (existential, names)
                let count = indicators[k].names.count
                if feeding, let candle {
                    indicators[k].indicator.update(candle, writingOutputsTo: slot, count: count)
                } else {
                    indicators[k].indicator.writeOutputs(to: slot, count: count)
                }
                slot += count
            }
        }
        inboxValues.withUnsafeBufferPointer { inbox.overwriteNumbers($0) }
    }

    /// Puts `candle` (nil: none yet) and the current indicator values into ctx, with the market fields.
    private func publish(candle: Candle?) throws(LuaError) {
        fillInbox(candle, feeding: false)
        _ = try step(3)
    }
}

/// Lines printed by one instance's script during a call.
final class LogBuffer {
    var lines: [String] = []
}

/// The model fields last handed to the prelude.
struct WrittenModel {
    var rating: RatingLevel?
    var version: String?
    var probabilities: [Double]?
}
