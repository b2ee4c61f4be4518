import Exchanges
import Indicators
import Model
import Scripting

/// One symbol's Lua strategies behind the pipeline's ``SymbolStrategyRunner`` seam: copies the
/// ``SymbolView`` fields strategies read into the ``MarketView`` before each call (a few stores,
/// no allocation) and turns the runtime's ``StrategyOutput`` into a ``StrategyOutcome``.
/// Shadow signals and alerts are not emitted; their comparison goes to the registry.
final class LuaSymbolRunner: SymbolStrategyRunner {
    let strategies: SymbolStrategies
    let registry: StrategyRegistry
    private let symbol: String
    /// Trades of the pipeline's ring already copied into the view.
    private var tradesSeen: UInt64 = 0
    /// The view's ``SymbolView/ratingChanges`` as of the last rating copied.
    private var ratingSeen: UInt64 = 0
    /// Strategies with a shadow version, as of `shadowGeneration`.
    private var shadowed: [String] = []
    private var shadowGeneration = -1
    /// The outcome handed back for calls that produced something: its arrays keep their
    /// capacity, so a signal does not allocate them anew (the caller reads the outcome before
    /// the next call and keeps no copy).
    private var reused = StrategyOutcome()

    init(strategies: SymbolStrategies, registry: StrategyRegistry) {
        self.strategies = strategies
        self.registry = registry
        symbol = strategies.view.symbol
    }

    func onCandle(_ candle: Candle, interval: CandleInterval, timeframe: String, market: SymbolView) -> StrategyOutcome {
        copy(market)
        return outcome(strategies.onCandle(timeframe: timeframe, candle: candle))
    }

    func onTick(market: SymbolView) -> StrategyOutcome {
        copy(market)
        return outcome(strategies.onTick())
    }

    private func copy(_ market: SymbolView) {
        let view = strategies.view
        view.now = market.eventTime
        if let price = market.lastPrice { view.lastPrice = price }
        view.bid = market.top.bid
        view.ask = market.top.ask
        view.bidSize = market.top.bidSize
        view.askSize = market.top.askSize
        if market.trades.appended != tradesSeen, let trade = market.trades.newest {
            tradesSeen = market.trades.appended
            view.record(trade: TradeRecord(price: trade.price, size: trade.size, side: trade.takerBuys ? .buy : .sell, time: trade.time))
        }
        if market.ratingChanges != ratingSeen, let rating = market.rating {
            ratingSeen = market.ratingChanges
            view.rating = rating.level
            view.probabilities = rating.probabilities
            view.modelVersion = rating.version
        }
    }

    private func outcome(_ output: StrategyOutput) -> StrategyOutcome {
        let generation = strategies.library.generation
        if generation != shadowGeneration { refreshShadowList(generation) }
        if !shadowed.isEmpty {
            for name in shadowed {
                if let comparison = strategies.shadowComparison(of: name) { registry.record(comparison, strategy: name, symbol: symbol) }
            }
        }
        guard !output.isEmpty else { return .none }
        if !reused.signals.isEmpty { reused.signals.removeAll(keepingCapacity: true) }
        if !reused.alerts.isEmpty { reused.alerts.removeAll(keepingCapacity: true) }
        if !reused.errors.isEmpty { reused.errors.removeAll(keepingCapacity: true) }
        for signal in output.signals where !signal.isShadow {
            reused.signals.append(StrategyProposal(
                strategy: signal.strategy, strategyHash: signal.sourceHash, level: signal.level, reason: signal.reason,
                confidence: signal.confidence, indicators: signal.indicators,
                risk: signal.risk.map { Signal.Risk(size: $0.size, stopLoss: $0.stopLoss, takeProfit: $0.takeProfit, vetoed: $0.vetoed, note: $0.note) }))
        }
        for alert in output.alerts where !alert.isShadow {
            reused.alerts.append(FiredAlert(strategy: alert.strategy, name: alert.name, severity: AlertSeverity(alert.severity),
                                             message: alert.message))
        }
        for fault in output.faults {
            let failure = StrategyFailure(strategy: fault.strategy, symbol: symbol, file: fault.file, line: fault.line,
                                          message: fault.isShadow ? "shadow: \(fault.message)" : fault.message)
            registry.record(failure)
            if !fault.isShadow { reused.errors.append(failure) }
        }
        for notice in output.notices where !notice.isShadow {
            switch notice.kind {
            case .parked:
                let failure = StrategyFailure(strategy: notice.strategy, symbol: symbol, message: notice.message, parked: true)
                registry.record(failure)
                reused.errors.append(failure)
            case .started, .reloaded:
                registry.running(notice.strategy, on: symbol)
            case .unloaded:
                registry.stopped(notice.strategy, on: symbol)
            case .reloadFailed:
                break  // reported as a fault above
            }
        }
        return reused
    }

    private func refreshShadowList(_ generation: Int) {
        shadowGeneration = generation
        let previous = shadowed
        shadowed = strategies.library.deployments().deployments.compactMap { $0.shadow == nil ? nil : $0.name }
        for name in previous where !shadowed.contains(name) { registry.clearShadow(name, symbol: symbol) }
    }
}

extension AlertSeverity {
    init(_ severity: StrategyAlert.Severity) {
        switch severity {
        case .info: self = .info
        case .warning: self = .warning
        case .critical: self = .critical
        }
    }
}
