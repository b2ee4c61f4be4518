/// The knobs of `chloe train`, stored in the model file. Every field has a default.
public struct TrainingOptions: Sendable, Codable, Equatable {
    /// Candles ahead the label's forward return looks.
    public var horizon = 12
    /// Boosting rounds at most (each adds one tree per class).
    public var rounds = 100
    /// Tree depth at most.
    public var depth = 4
    /// Shrinkage applied to each tree's leaf values.
    public var learningRate = 0.1
    /// L2 regularisation of leaf values.
    public var lambda = 1.0
    /// Least hessian sum in a leaf.
    public var minChildWeight = 1.0
    /// Histogram bins per feature (at most 255).
    public var bins = 64
    /// Share of each training file's rows, at its end, held out for validation.
    public var validationFraction = 0.2
    /// Stop after this many rounds without a better validation log-loss (0: never stop early).
    public var earlyStopping = 20
    /// Share of training rows each round's trees see (1: all), drawn with `seed`.
    public var subsample = 1.0
    public var seed: UInt64 = 42

    public init() {}

    /// Checks the ranges; the message names the option.
    public func validate() throws(ModelError) {
        func fail(_ reason: String) -> ModelError { ModelError(source: "training", reason: reason) }
        guard horizon >= 1 else { throw fail("horizon must be at least 1 candle") }
        guard rounds >= 1 else { throw fail("rounds must be at least 1") }
        guard (1...12).contains(depth) else { throw fail("depth must be 1...12") }
        guard learningRate > 0, learningRate <= 1 else { throw fail("learning rate must be in (0, 1]") }
        guard lambda >= 0, lambda.isFinite else { throw fail("lambda must be a finite number >= 0") }
        guard minChildWeight >= 0, minChildWeight.isFinite else { throw fail("min child weight must be a finite number >= 0") }
        guard (2...255).contains(bins) else { throw fail("bins must be 2...255") }
        guard validationFraction > 0, validationFraction < 1 else { throw fail("validation fraction must be in (0, 1)") }
        guard earlyStopping >= 0 else { throw fail("early stopping must be >= 0") }
        guard subsample > 0, subsample <= 1 else { throw fail("subsample must be in (0, 1]") }
    }

    enum CodingKeys: String, CodingKey {
        case horizon, rounds, depth
        case learningRate = "learning_rate"
        case lambda
        case minChildWeight = "min_child_weight"
        case bins
        case validationFraction = "validation_fraction"
        case earlyStopping = "early_stopping"
        case subsample, seed
    }
}
