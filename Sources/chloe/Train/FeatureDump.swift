import Foundation
import Model

/// `chloe train --dump-features`: the feature rows of candle series as CSV
/// (`time,<feature names>,forward_return`), values printed so they read back exactly; NaN
/// (a missing feature) is `nan`.
enum FeatureDump {
    static func write(_ series: [ModelTrainer.Series], trainer: ModelTrainer, to path: String) throws(ModelError) {
        var text = (["time"] + FeatureExtractor.names + ["forward_return"]).joined(separator: ",") + "\n"
        let width = FeatureExtractor.count
        for s in series {
            let rows = try trainer.labeled(s)
            for r in 0..<rows.count {
                var line = "\(s.candles[rows.candleIndices[r]].time)"
                for c in 0..<width { line += "," + number(rows.features[r * width + c]) }
                line += "," + number(rows.forwardReturns[r]) + "\n"
                text += line
            }
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ModelError(source: path, reason: "cannot write the features: \(error.localizedDescription)")
        }
    }

    private static func number(_ x: Double) -> String { x.isNaN ? "nan" : "\(x)" }
}
