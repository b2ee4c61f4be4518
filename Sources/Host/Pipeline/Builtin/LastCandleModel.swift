import Exchanges
import Indicators
import Model

/// A trivial built-in model, for tests and replays without a trained model: rates a symbol
/// by the return of its last candle of one interval (beyond ±`strong`: strong buy/sell,
/// beyond ±`weak`: buy/sell, else neutral), with probabilities concentrated on that class.
public struct LastCandleModel: ModelStage {
    public var interval: CandleInterval
    public var weak: Double
    public var strong: Double
    public let version = "last-candle-1"

    public init(interval: CandleInterval = .oneMinute, weak: Double = 0.001, strong: Double = 0.005) {
        self.interval = interval
        self.weak = weak
        self.strong = strong
    }

    public func makeSymbolModel(symbol: CanonicalSymbol, exchange: Exchange) -> any SymbolModel {
        Instance(self)
    }

    final class Instance: SymbolModel {
        let model: LastCandleModel

        init(_ model: LastCandleModel) {
            self.model = model
        }

        func onCandle(_ candle: Candle, interval: CandleInterval) -> ModelRating? {
            guard interval == model.interval, candle.open > 0 else { return nil }
            let change = candle.close / candle.open - 1
            let level: RatingLevel = change > model.strong ? .strongBuy : change > model.weak ? .buy
                : change < -model.strong ? .strongSell : change < -model.weak ? .sell : .neutral
            var probabilities = [Double](repeating: 0.05, count: 5)
            probabilities[level.rawValue] = 0.8
            return ModelRating(level: level, probabilities: probabilities, version: model.version)
        }
    }
}
