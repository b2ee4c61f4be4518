import Foundation
import Indicators

/// `chloe train`'s whole job on candle series: features and labels, the time-ordered split,
/// class quantiles from the training part, boosting, and the metrics of the finished model on
/// the validation part and on every evaluation series; the result is a validated model file.
public struct ModelTrainer: Sendable {
    /// A named candle series (the name is its path, reported in metrics and provenance).
    public struct Series: Sendable {
        public var name: String
        public var candles: [Candle]

        public init(name: String, candles: [Candle]) {
            self.name = name
            self.candles = candles
        }
    }

    /// Fewest training rows worth boosting on.
    public static let minimumTrainingRows = 50

    public let options: TrainingOptions

    public init(options: TrainingOptions) {
        self.options = options
    }

    /// Trains on `training` series and evaluates on `evaluation` series.
    /// - Parameters:
    ///   - command: the command line recorded in the model's provenance.
    ///   - created: the creation time recorded in the provenance (ISO 8601), if any.
    public func train(_ training: [Series], evaluation: [Series] = [], command: String, created: String? = nil,
                      progress: (GradientBoostingTrainer.Progress) -> Void = { _ in }) throws(ModelError) -> ModelFile {
        try options.validate()
        guard !training.isEmpty else { throw ModelError(source: "training", reason: "no candle files to train on") }
        var trainingRows = [LabeledSeries]()
        var validationRows = [LabeledSeries]()
        for series in training {
            let (t, v) = try labeled(series).split(validationFraction: options.validationFraction, horizon: options.horizon)
            trainingRows.append(t)
            validationRows.append(v)
        }
        let trainCount = trainingRows.reduce(0) { $0 + $1.count }
        let validCount = validationRows.reduce(0) { $0 + $1.count }
        guard trainCount >= Self.minimumTrainingRows, validCount > 0 else {
            let candles = training.reduce(0) { $0 + $1.candles.count }
            throw ModelError(source: "training", reason: """
                \(candles) candles give \(trainCount) training and \(validCount) validation rows; need at least \
                \(Self.minimumTrainingRows) training rows and 1 validation row (each file loses \(FeatureExtractor.warmUp - 1) \
                warm-up candles and \(options.horizon) at its end)
                """)
        }
        let quantiles = ClassQuantiles(learningFrom: trainingRows.flatMap(\.forwardReturns))
        let labels = trainingRows.flatMap { $0.forwardReturns.map(quantiles.classify) }
        let validationLabels = validationRows.flatMap { $0.forwardReturns.map(quantiles.classify) }
        let classes = RatingLevel.allCases.count
        var counts = [Double](repeating: 1, count: classes)  // add-one smoothing
        for y in labels { counts[y] += 1 }
        let prior = counts.map { $0 / Double(labels.count + classes) }

        let result = GradientBoostingTrainer(options: options).train(
            features: trainingRows.flatMap(\.features), labels: labels,
            validationFeatures: validationRows.flatMap(\.features), validationLabels: validationLabels,
            prior: prior, progress: progress)

        let placeholder = ClassificationMetrics(samples: 0, accuracy: 0, macroF1: 0, logloss: 0, priorLogloss: 0, persistenceAccuracy: 0)
        var file = ModelFile(id: "", objective: .softmax, classes: classes, featureNames: FeatureExtractor.names, horizon: options.horizon,
                             classQuantiles: quantiles.cuts, baseMargins: result.baseMargins, trees: result.trees, training: options,
                             metrics: EvaluationReport(validation: placeholder, eval: []),
                             provenance: ModelProvenance(files: training.map(\.name), command: command, created: nil))
        file.id = "gbt-" + ModelInfo.fingerprint(file.encoded())
        file.provenance.created = created
        let model = try ServingModel(file: file, source: "training")

        var validation = validationRows[0]
        for more in validationRows.dropFirst() {
            validation.features += more.features
            validation.forwardReturns += more.forwardReturns
            validation.backwardReturns += more.backwardReturns
            validation.candleIndices += more.candleIndices
        }
        var evalMetrics = [EvaluationReport.FileMetrics]()
        for series in evaluation {
            evalMetrics.append(.init(file: series.name, metrics: Self.evaluate(model, on: try labeled(series), quantiles: quantiles, prior: prior)))
        }
        file.metrics = EvaluationReport(validation: Self.evaluate(model, on: validation, quantiles: quantiles, prior: prior), eval: evalMetrics)
        return file
    }

    /// Metrics of `model` on labelled rows, with labels from `quantiles` and the prior baseline.
    public static func evaluate(_ model: ServingModel, on rows: LabeledSeries, quantiles: ClassQuantiles, prior: [Double]) -> ClassificationMetrics {
        let width = FeatureExtractor.count
        let classes = model.ensemble.classCount
        var probabilities = [Double](repeating: 0, count: rows.count * classes)
        rows.features.withUnsafeBufferPointer { features in
            probabilities.withUnsafeMutableBufferPointer { out in
                for r in 0..<rows.count {
                    model.ensemble.predict(UnsafeBufferPointer(rebasing: features[r * width ..< (r + 1) * width]),
                                           into: UnsafeMutableBufferPointer(rebasing: out[r * classes ..< (r + 1) * classes]))
                }
            }
        }
        let labels = rows.forwardReturns.map(quantiles.classify)
        // Without a backward return (a series shorter than the horizon) persistence says neutral.
        let persistence = rows.backwardReturns.map { $0.isNaN ? RatingLevel.neutral.rawValue : quantiles.classify($0) }
        return Evaluator.metrics(probabilities: probabilities, labels: labels, persistence: persistence, prior: prior)
    }

    /// The labelled rows of a series, or an error naming it.
    public func labeled(_ series: Series) throws(ModelError) -> LabeledSeries {
        do {
            return try LabeledSeries(name: series.name, candles: series.candles, horizon: options.horizon)
        } catch {
            throw ModelError(source: series.name, reason: "bad candle: \(error)")
        }
    }
}
