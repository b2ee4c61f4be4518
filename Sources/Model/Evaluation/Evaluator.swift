import Foundation

/// Computes ``ClassificationMetrics`` from predicted probabilities and true classes.
public enum Evaluator {
    /// - Parameters:
    ///   - probabilities: row-major, `classCount` per row.
    ///   - labels: the true class of each row.
    ///   - persistence: the persistence baseline's class for each row.
    ///   - prior: the training class frequencies.
    public static func metrics(probabilities: [Double], labels: [Int], persistence: [Int], prior: [Double]) -> ClassificationMetrics {
        let classes = prior.count
        let n = labels.count
        guard n > 0 else {
            return ClassificationMetrics(samples: 0, accuracy: .nan, macroF1: .nan, logloss: .nan, priorLogloss: .nan, persistenceAccuracy: .nan)
        }
        var correct = 0
        var persistent = 0
        var loss = 0.0
        var priorLoss = 0.0
        var truePositive = [Int](repeating: 0, count: classes)
        var predicted = [Int](repeating: 0, count: classes)
        var actual = [Int](repeating: 0, count: classes)
        for r in 0..<n {
            let y = labels[r]
            var best = 0
            for k in 1..<classes where probabilities[r * classes + k] > probabilities[r * classes + best] { best = k }
            if best == y { correct += 1; truePositive[y] += 1 }
            predicted[best] += 1
            actual[y] += 1
            if persistence[r] == y { persistent += 1 }
            loss -= log(max(probabilities[r * classes + y], 1e-15))
            priorLoss -= log(max(prior[y], 1e-15))
        }
        var f1Sum = 0.0
        for k in 0..<classes {
            let precision = predicted[k] > 0 ? Double(truePositive[k]) / Double(predicted[k]) : 0
            let recall = actual[k] > 0 ? Double(truePositive[k]) / Double(actual[k]) : 0
            f1Sum += precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        }
        return ClassificationMetrics(samples: n, accuracy: Double(correct) / Double(n), macroF1: f1Sum / Double(classes),
                                     logloss: loss / Double(n), priorLogloss: priorLoss / Double(n),
                                     persistenceAccuracy: Double(persistent) / Double(n))
    }
}
