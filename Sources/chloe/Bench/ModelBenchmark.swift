import Indicators
import Model

/// Times the rating model: one prediction from a ready feature vector, the streaming feature
/// update alone, and a whole rating on candle close (features + prediction + the rating value).
struct ModelBenchmark {
    struct Result {
        /// ns per `TreeEnsemble.predict` on a feature vector.
        let predict: Double
        /// ns per `FeatureExtractor.update` on a candle.
        let features: Double
        /// ns per `Rater.rate` on a candle.
        let rate: Double
        let trees: Int
        let predictions: Int
    }

    let model: ServingModel
    let candles: [Candle]
    let count: Int
    let rounds: Int

    func run() throws -> Result {
        let matrix = try FeatureExtractor.batch(candles)
        let width = matrix.columns
        var vectors = [Double]()
        for r in 0..<matrix.rows where matrix.ready[r] { vectors += matrix.row(r) }
        let rows = vectors.count / width
        precondition(rows > 0, "the candle file is shorter than the feature warm-up")
        let ensemble = model.ensemble
        var probabilities = [Double](repeating: 0, count: ensemble.classCount)
        var sink = 0.0
        let predict = vectors.withUnsafeBufferPointer { features in
            probabilities.withUnsafeMutableBufferPointer { out in
                Stopwatch.best(rounds: rounds) {
                    var row = 0
                    for _ in 0..<count {
                        ensemble.predict(UnsafeBufferPointer(rebasing: features[row * width ..< (row + 1) * width]), into: out)
                        sink += out[0]
                        row += 1
                        if row == rows { row = 0 }
                    }
                }
            }
        }
        let features = try Stopwatch.best(rounds: rounds) {
            var extractor = FeatureExtractor()
            for candle in candles {
                if try extractor.update(candle) { sink += extractor.values[0] }
            }
        }
        let store = ModelStore(model)
        let rate = try Stopwatch.best(rounds: rounds) {
            var rater = Rater(store: store)
            for candle in candles {
                if let rating = try rater.rate(candle) { sink += rating.probabilities[0] }
            }
        }
        blackHole(sink)
        return Result(predict: predict / Double(count), features: features / Double(candles.count), rate: rate / Double(candles.count),
                      trees: ensemble.treeCount, predictions: count)
    }
}
