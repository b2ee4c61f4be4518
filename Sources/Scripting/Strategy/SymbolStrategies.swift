import Indicators
import Model

/// Every strategy of a library running on one symbol: the object a symbol's (serial)
/// processor owns and calls synchronously, once per event.
///
/// Each (strategy, symbol) pair has its own Lua state. Before each event the library's
/// ``StrategyLibrary/generation`` is compared with the one last seen (one atomic load); when
/// it moved, new versions are built in fresh states, their `init` run with the carried-over
/// `state`, and swapped in only if that succeeded — between two events, so no event is lost or
/// seen twice. A version that fails to start here keeps the old one running and is reported.
///
/// Not `Sendable`: use it from the symbol's processor only.
public final class SymbolStrategies {
    /// What the strategies see; the processor updates it before ``onTick()``.
    public let view: MarketView
    public let library: StrategyLibrary
    /// Per strategy name, parameter overrides for this symbol.
    public let parameterOverrides: [String: [String: StrategyParameter]]

    private let output = StrategyOutput()
    private var slots: [Slot] = []
    /// The live instances in slot order when no slot has a shadow (the usual case, run
    /// without going through the slots), nil otherwise. Rebuilt with the slots.
    private var liveOnly: ContiguousArray<StrategyInstance>? = []
    private var seenGeneration = -1

    final class Slot {
        let name: String
        var live: StrategyInstance?
        var shadow: StrategyInstance?
        var comparison: ShadowComparison?

        init(name: String) { self.name = name }
    }

    public init(library: StrategyLibrary, view: MarketView, parameterOverrides: [String: [String: StrategyParameter]] = [:]) {
        self.library = library
        self.view = view
        self.parameterOverrides = parameterOverrides
    }

    // MARK: Events

    /// A candle of `timeframe` closed: records it in the view, updates the indicators of the
    /// strategies on that timeframe and runs their `on_candle` (and alerts).
    /// The returned output is reused: read it before the next call.
    public func onCandle(timeframe: String, candle: Candle) -> StrategyOutput {
        output.clear()
        // new versions first: they warm up from the history, which must not hold this candle yet
        synchronize()
        view.record(candle: candle, timeframe: timeframe)
        for slot in slots {
            let live = slot.live.flatMap { $0.timeframe == timeframe ? $0 : nil }
            let shadow = slot.shadow.flatMap { $0.timeframe == timeframe ? $0 : nil }
            run(slot, live: live, shadow: shadow, event: .candle, candle: candle, trigger: timeframe)
        }
        return output
    }

    /// A ticker, trade or book update changed the view: runs every `on_tick` (and alerts).
    /// The returned output is reused: read it before the next call.
    public func onTick() -> StrategyOutput {
        output.clear()
        synchronize()
        if let instances = liveOnly {
            for instance in instances { instance.run(.tick, candle: nil, output: output) }
        } else {
            for slot in slots {
                run(slot, live: slot.live, shadow: slot.shadow, event: .tick, candle: nil, trigger: "tick")
            }
        }
        return output
    }

    private func run(_ slot: Slot, live: StrategyInstance?, shadow: StrategyInstance?, event: StrategyInstance.Event,
                     candle: Candle?, trigger: String) {
        let liveResult = live?.run(event, candle: candle, output: output)
        guard let shadow else { return }
        let shadowResult = shadow.run(event, candle: candle, output: output)
        let configuration = library.configuration
        guard let live, var comparison = slot.comparison, liveResult != nil || shadowResult != nil else { return }
        comparison.events += 1
        let liveLevel = liveResult?.score.flatMap { RatingLevel(score: Int($0)) }
        let shadowLevel = shadowResult?.score.flatMap { RatingLevel(score: Int($0)) }
        let liveAlerts = Self.names(liveResult?.mask ?? 0, live.alertNames)
        let shadowAlerts = Self.names(shadowResult?.mask ?? 0, shadow.alertNames)
        let levelsDiffer = liveLevel != shadowLevel
        let alertsDiffer = liveAlerts != shadowAlerts
        if levelsDiffer { comparison.levelDifferences += 1 }
        if alertsDiffer { comparison.alertDifferences += 1 }
        if levelsDiffer || alertsDiffer {
            comparison.record(ShadowDifference(time: view.now, trigger: trigger, liveLevel: liveLevel, shadowLevel: shadowLevel,
                                               liveAlerts: liveAlerts, shadowAlerts: shadowAlerts),
                              keep: configuration.recentShadowDifferences)
        }
        slot.comparison = comparison
    }

    private static func names(_ mask: UInt64, _ names: [String]) -> [String] {
        guard mask != 0 else { return [] }
        return names.indices.filter { mask & (1 << UInt64($0)) != 0 }.map { names[$0] }.sorted()
    }

    // MARK: Inspection

    /// Names of the strategies running live here, sorted.
    public var strategyNames: [String] { slots.compactMap { $0.live == nil ? nil : $0.name } }

    /// Live version number of `name` here.
    public func version(of name: String) -> Int? { slot(name)?.live?.version.number }

    /// Strategies parked on this symbol (too many faults), sorted.
    public var parked: [String] { slots.compactMap { $0.live?.faults.isParked == true ? $0.name : nil } }

    /// Lets a parked strategy run again on this symbol (a reload does this too).
    public func unpark(_ name: String) { slot(name)?.live?.faults.reset() }

    /// How the shadow of `name` compares with the live version here, if it has a shadow.
    public func shadowComparison(of name: String) -> ShadowComparison? { slot(name)?.comparison }

    /// The indicator values strategy `name` holds here: `rsi`, `macd.hist`, ...
    public func indicatorValues(of name: String) -> IndicatorReadings { slot(name)?.live?.indicatorReadings() ?? [:] }

    /// Bytes held by the Lua states of this symbol.
    public var memoryInUse: Int {
        slots.reduce(0) { $0 + ($1.live?.lua.memoryInUse ?? 0) + ($1.shadow?.lua.memoryInUse ?? 0) }
    }

    private func slot(_ name: String) -> Slot? { slots.first { $0.name == name } }

    /// The live instance of `name` here (for tests).
    func liveInstance(of name: String) -> StrategyInstance? { slot(name)?.live }
}

// MARK: - Picking up new versions

extension SymbolStrategies {
    /// Brings the instances in line with the library if its generation moved. Called before
    /// every event; costs one atomic load when nothing changed.
    @inline(__always)
    public func synchronize() {
        guard library.generation != seenGeneration else { return }
        resynchronize()
    }

    private func resynchronize() {
        let (generation, deployments) = library.deployments()
        seenGeneration = generation
        var next: [Slot] = []
        for deployment in deployments {
            let slot = slots.first { $0.name == deployment.name } ?? Slot(name: deployment.name)
            if let version = deployment.live {
                updateLive(slot, to: version)
            } else if let old = slot.live {
                slot.live = nil
                notice(.unloaded, old.version, message: "no live version", shadow: false)
            }
            updateShadow(slot, to: deployment.shadow)
            if slot.live != nil || slot.shadow != nil { next.append(slot) }
        }
        for slot in slots where !next.contains(where: { $0 === slot }) {
            if let live = slot.live { notice(.unloaded, live.version, message: "removed from the library", shadow: false) }
        }
        slots = next
        liveOnly = next.contains { $0.shadow != nil } ? nil : ContiguousArray(next.compactMap(\.live))
    }

    private func updateLive(_ slot: Slot, to version: StrategyVersion) {
        if slot.live?.version.serial == version.serial { return }
        if let shadow = slot.shadow, shadow.version.serial == version.serial {
            shadow.isShadow = false
            slot.live = shadow
            slot.shadow = nil
            slot.comparison = nil
            notice(.reloaded, version, message: "shadow promoted to live", shadow: false)
            return
        }
        let old = slot.live
        guard let instance = build(version, carrying: old, shadow: false) else { return }
        slot.live = instance
        notice(old == nil ? .started : .reloaded, version,
               message: old.map { "v\($0.version.number) -> v\(version.number), state carried over" } ?? "started", shadow: false)
    }

    private func updateShadow(_ slot: Slot, to version: StrategyVersion?) {
        guard let version else {
            slot.shadow = nil
            slot.comparison = nil
            return
        }
        if slot.shadow?.version.serial == version.serial { return }
        guard let instance = build(version, carrying: slot.live, shadow: true) else { return }
        slot.shadow = instance
        slot.comparison = ShadowComparison(liveVersion: slot.live?.version.number ?? 0, shadowVersion: version.number)
        notice(.started, version, message: "shadow started", shadow: true)
    }

    /// A new instance of `version`, carrying `old`'s state and alert edges; nil (reported) when it fails.
    private func build(_ version: StrategyVersion, carrying old: StrategyInstance?, shadow: Bool) -> StrategyInstance? {
        do throws(StrategyError) {
            let instance = try StrategyInstance(version: version, view: view, overrides: parameterOverrides[version.name] ?? [:],
                                                carried: old, configuration: library.configuration, isShadow: shadow)
            if let old { instance.alertGate.inherit(from: old.alertGate, names: instance.alertNames, oldNames: old.alertNames) }
            return instance
        } catch {
            output.append(StrategyFault(strategy: version.name, symbol: view.symbol, file: error.file, line: error.line,
                                               message: error.message, time: view.now, isShadow: shadow))
            notice(.reloadFailed, version, message: old == nil ? error.description
                   : "\(error.description); v\(old!.version.number) keeps running", shadow: shadow)
            return nil
        }
    }

    private func notice(_ kind: StrategyNotice.Kind, _ version: StrategyVersion, message: String, shadow: Bool) {
        output.append(StrategyNotice(kind: kind, strategy: version.name, symbol: view.symbol, version: version.number,
                                             message: message, isShadow: shadow))
    }
}
