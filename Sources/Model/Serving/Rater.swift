import Indicators

/// One symbol's rater: its feature state, fed on every candle close, and the shared store
/// whose current model rates it. Feature state does not depend on the model, so a model swap
/// takes effect on the next candle without a new warm-up.
public struct Rater: Sendable {
    public let store: ModelStore
    /// The symbol's streaming features.
    public private(set) var features = FeatureExtractor()
    /// Probabilities scratch space, allocated once.
    private var scratch = [Double](repeating: 0, count: 8)

    public init(store: ModelStore) {
        self.store = store
    }

    /// Feeds one closed candle (and the order-book imbalance at its close, when a book is
    /// kept) and rates the symbol with the current model; nil during the warm-up
    /// (``FeatureExtractor/warmUp`` candles). A candle with a non-finite field is refused with
    /// an error naming the field, and the state is left unchanged.
    public mutating func rate(_ candle: Candle, bookImbalance: Double? = nil) throws(IndicatorError) -> ModelRating? {
        guard try features.update(candle, bookImbalance: bookImbalance) else { return nil }
        let model = store.current
        let classes = model.ensemble.classCount
        let level = features.withValues { values in
            scratch.withUnsafeMutableBufferPointer { out in
                model.ensemble.predict(values, into: out)
                return model.level(UnsafeBufferPointer(out))
            }
        }
        return ModelRating(level: level, probabilities: Array(scratch[0..<classes]), version: model.info.id)
    }
}
