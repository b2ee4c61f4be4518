/// How well class probabilities predicted the true classes on one data set, beside two
/// baselines: the training class prior, and persistence (the class of the return that just
/// completed predicts the next one).
public struct ClassificationMetrics: Sendable, Codable, Equatable {
    /// Rows evaluated.
    public var samples: Int
    /// Share of rows whose most probable class is the true one.
    public var accuracy: Double
    /// Mean over the classes of F1 (a class never predicted nor present scores 0).
    public var macroF1: Double
    /// Mean −log p(true class), probabilities clipped to at least 1e-15.
    public var logloss: Double
    /// The log-loss of always predicting the training class frequencies.
    public var priorLogloss: Double
    /// Accuracy of predicting the class of the backward return over the same horizon.
    public var persistenceAccuracy: Double

    public init(samples: Int, accuracy: Double, macroF1: Double, logloss: Double, priorLogloss: Double, persistenceAccuracy: Double) {
        self.samples = samples
        self.accuracy = accuracy
        self.macroF1 = macroF1
        self.logloss = logloss
        self.priorLogloss = priorLogloss
        self.persistenceAccuracy = persistenceAccuracy
    }

    /// True when the model's log-loss is below the prior's.
    public var beatsPrior: Bool { logloss < priorLogloss }

    enum CodingKeys: String, CodingKey {
        case samples, accuracy
        case macroF1 = "macro_f1"
        case logloss
        case priorLogloss = "prior_logloss"
        case persistenceAccuracy = "persistence_accuracy"
    }
}
