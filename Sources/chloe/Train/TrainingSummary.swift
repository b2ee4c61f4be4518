import Foundation
import Model

/// The metrics table `chloe train` prints, with a plain warning where the model does not beat
/// the class prior's log-loss.
struct TrainingSummary {
    let file: ModelFile

    var text: String {
        let rounds = file.trees.count / max(1, file.classes)
        var out = "model \(file.id): \(rounds) rounds, \(file.trees.count) trees, horizon \(file.horizon) candles\n"
        out += "class quantiles (forward log return): " + file.classQuantiles.map { String(format: "%.6f", $0) }.joined(separator: " ") + "\n"
        out += pad("part", 34) + pad("samples", 9, right: true) + pad("accuracy", 10, right: true) + pad("macro_f1", 10, right: true)
            + pad("logloss", 10, right: true) + pad("prior_logloss", 15, right: true) + pad("persistence_acc", 17, right: true) + "\n"
        var rows = [("validation", file.metrics.validation)]
        rows += file.metrics.eval.map { ("eval " + URL(fileURLWithPath: $0.file).lastPathComponent, $0.metrics) }
        for (name, m) in rows {
            out += pad(name, 34) + pad("\(m.samples)", 9, right: true) + pad(f(m.accuracy), 10, right: true) + pad(f(m.macroF1), 10, right: true)
                + pad(f(m.logloss), 10, right: true) + pad(f(m.priorLogloss), 15, right: true) + pad(f(m.persistenceAccuracy), 17, right: true) + "\n"
        }
        for (name, m) in rows where !m.beatsPrior && m.samples > 0 {
            out += "WARNING: on \(name) the model does NOT beat the class prior: log-loss \(f(m.logloss)) >= prior \(f(m.priorLogloss)); its probabilities are no better than the class frequencies.\n"
        }
        return out
    }

    private func f(_ x: Double) -> String { String(format: "%.4f", x) }

    private func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, n - s.count))
        return right ? fill + s : s + fill
    }
}
