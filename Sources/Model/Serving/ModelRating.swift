/// The model's rating of a symbol at a candle close.
public struct ModelRating: Sendable, Equatable {
    public var level: RatingLevel
    /// Class probabilities: 5 (strong sell ... strong buy) for a rating model, 2
    /// (`[P(down), P(up)]`) for a logistic XGBoost model.
    public var probabilities: [Double]
    /// The model's id (``ModelInfo/id``).
    public var version: String

    public init(level: RatingLevel, probabilities: [Double], version: String) {
        self.level = level
        self.probabilities = probabilities
        self.version = version
    }
}
