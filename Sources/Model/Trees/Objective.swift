import Foundation

/// How an ensemble's summed tree outputs (margins) become class probabilities.
public enum Objective: String, Sendable, Codable, Equatable {
    /// One margin per class, softmax over them (XGBoost `multi:softprob`).
    case softmax = "multi:softprob"
    /// One margin, the probability of class 1 is its logistic (XGBoost `binary:logistic`).
    case logistic = "binary:logistic"

    /// Number of margins the trees add to for `classCount` classes.
    func marginCount(classes: Int) -> Int { self == .softmax ? classes : 1 }
}
