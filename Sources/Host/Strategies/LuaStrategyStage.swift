import Exchanges
import Foundation
import Indicators
import Model
import Scripting

/// The Lua strategy runtime as the pipeline's strategy stage: every symbol gets a
/// ``Scripting/SymbolStrategies`` over the shared ``Scripting/StrategyLibrary`` (so uploads,
/// reloads and shadows reach every symbol between two events), fed from the pipeline's
/// ``SymbolView``.
public struct LuaStrategyStage: StrategyStage {
    public let library: StrategyLibrary
    /// Parameter overrides by strategy name (`strategies.params`).
    public let parameters: [String: StrategyParameters]
    /// Where per-symbol facts (symbols, last errors, parking, shadow comparisons) are collected for the API.
    public let registry: StrategyRegistry
    /// Closed candles each symbol keeps for `ctx.history(n)`.
    public let historyCapacity: Int

    public init(library: StrategyLibrary, parameters: [String: StrategyParameters] = [:], registry: StrategyRegistry = StrategyRegistry(),
                historyCapacity: Int = 500) {
        self.library = library
        self.parameters = parameters
        self.registry = registry
        self.historyCapacity = max(1, historyCapacity)
    }

    public func makeSymbolStrategies(symbol: CanonicalSymbol, exchange: Exchange, intervals: [CandleInterval]) -> any SymbolStrategyRunner {
        let name = symbol.description
        var overrides: [String: [String: StrategyParameter]] = [:]
        for (strategy, values) in parameters {
            overrides[strategy] = values.values(for: name).mapValues(StrategyParameter.init)
        }
        let view = MarketView(symbol: name, exchange: exchange.rawValue, historyCapacity: historyCapacity,
                              timeframes: intervals.map(\.description))
        return LuaSymbolRunner(strategies: SymbolStrategies(library: library, view: view, parameterOverrides: overrides),
                               registry: registry)
    }

    /// The built-in ``RehearsalScript`` on the smallest of `intervals`, from a library and
    /// registry of its own (so it is never listed, reloaded or reported), under the shared
    /// library's limits. Nil when it cannot be loaded (it always can; a failure would only
    /// leave the rehearsal without strategies).
    public func makeRehearsalStrategies(symbol: CanonicalSymbol, exchange: Exchange, intervals: [CandleInterval]) -> (any SymbolStrategyRunner)? {
        guard let smallest = intervals.min() else { return nil }
        let rehearsal = StrategyLibrary(strategiesDirectory: nil, pluginsDirectory: nil, configuration: library.configuration)
        do throws(StrategyError) {
            _ = try rehearsal.upsert(name: RehearsalScript.name, source: RehearsalScript.source(timeframe: smallest.description))
        } catch {
            return nil
        }
        let view = MarketView(symbol: symbol.description, exchange: exchange.rawValue, historyCapacity: 1,
                              timeframes: intervals.map(\.description))
        return LuaSymbolRunner(strategies: SymbolStrategies(library: rehearsal, view: view), registry: StrategyRegistry())
    }
}

extension StrategyParameter {
    /// The runtime's form of a configured parameter value.
    init(_ value: ParameterValue) {
        switch value {
        case .number(let number): self = .number(number)
        case .bool(let flag): self = .boolean(flag)
        case .text(let text): self = .string(text)
        }
    }
}
