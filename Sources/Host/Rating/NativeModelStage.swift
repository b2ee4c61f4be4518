import Exchanges
import Indicators
import Model

/// The rating model as the pipeline's model stage: each symbol gets a ``Model/Rater`` (its own
/// streaming features) over the shared ``Model/ModelStore``, fed the closed candles of one
/// interval. A model swapped into the store rates from the next candle on.
public struct NativeModelStage: ModelStage {
    public let store: ModelStore
    /// The candle interval the model reads (the one it was trained on).
    public let interval: CandleInterval

    public init(store: ModelStore, interval: CandleInterval) {
        self.store = store
        self.interval = interval
    }

    public var version: String { store.current.info.id }

    public func makeSymbolModel(symbol: CanonicalSymbol, exchange: Exchange) -> any SymbolModel {
        Instance(rater: Rater(store: store), interval: interval)
    }

    final class Instance: SymbolModel {
        var rater: Rater
        let interval: CandleInterval

        init(rater: Rater, interval: CandleInterval) {
            self.rater = rater
            self.interval = interval
        }

        func onCandle(_ candle: Candle, interval: CandleInterval) -> ModelRating? {
            guard interval == self.interval else { return nil }
            // a candle with a non-finite field is refused by the features and leaves the rating as it was
            return try? rater.rate(candle)
        }
    }
}
