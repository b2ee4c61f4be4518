import Exchanges
import Indicators
import Model

/// A small built-in strategy, for tests, benchmarks and replays without Lua: compares the
/// price with its moving average and says `buy` above the upper band, `sell` below the lower
/// band, `neutral` between, emitting a signal only when that level changes. Crossing into a
/// band also fires an alert.
///
/// On `tick` it uses an EMA of trade and ticker prices; on a candle interval an SMA of closes.
public struct ThresholdStrategy: StrategyStage {
    /// What drives the strategy.
    public enum Trigger: Sendable, Equatable {
        case tick
        case candle(CandleInterval)
    }

    public var name: String
    public var trigger: Trigger
    public var period: Int
    /// Relative half-width of the neutral band (0.001 = ±0.1 %).
    public var band: Double
    public var sourceHash: String

    public init(name: String = "threshold", trigger: Trigger = .candle(.oneMinute), period: Int = 20, band: Double = 0.001,
                sourceHash: String = "builtin") {
        self.name = name
        self.trigger = trigger
        self.period = max(1, period)
        self.band = band
        self.sourceHash = sourceHash
    }

    public func makeSymbolStrategies(symbol: CanonicalSymbol, exchange: Exchange, intervals: [CandleInterval]) -> any SymbolStrategyRunner {
        Instance(self)
    }

    final class Instance: SymbolStrategyRunner {
        let rule: ThresholdStrategy
        var sma: SMA
        var ema: EMA
        var level: RatingLevel?

        init(_ rule: ThresholdStrategy) {
            self.rule = rule
            sma = try! SMA(period: rule.period)  // period >= 1 is always valid
            ema = try! EMA(period: rule.period)
        }

        func onCandle(_ candle: Candle, interval: CandleInterval, timeframe: String, market: SymbolView) -> StrategyOutcome {
            guard rule.trigger == .candle(interval), let average = try? sma.update(candle.close) else { return .none }
            return judge(candle.close, average)
        }

        func onTick(market: SymbolView) -> StrategyOutcome {
            guard rule.trigger == .tick, let price = market.lastPrice, let average = try? ema.update(price) else { return .none }
            return judge(price, average)
        }

        private func judge(_ price: Double, _ average: Double) -> StrategyOutcome {
            let next: RatingLevel = price > average * (1 + rule.band) ? .buy : price < average * (1 - rule.band) ? .sell : .neutral
            guard next != level else { return .none }
            level = next
            let signal = StrategyProposal(strategy: rule.name, strategyHash: rule.sourceHash, level: next,
                                        reason: "price \(price) vs average \(average)", confidence: 1,
                                        indicators: ["price": price, "average": average])
            guard next != .neutral else { return StrategyOutcome(signals: [signal]) }
            let alert = FiredAlert(strategy: rule.name, name: next == .buy ? "above_band" : "below_band", severity: .info,
                                      message: "price \(next == .buy ? "above" : "below") its \(rule.period)-period average band")
            return StrategyOutcome(signals: [signal], alerts: [alert])
        }
    }
}
