import Foundation
import Indicators
import Testing
@testable import Model

@Suite struct TrainingTests {
    static func smallOptions(horizon: Int = 1) -> TrainingOptions {
        var options = TrainingOptions()
        options.horizon = horizon
        options.rounds = 15
        options.depth = 3
        options.learningRate = 0.3
        options.earlyStopping = 5
        return options
    }

    @Test func quantilesCutTrainingReturnsIntoFiveEqualClasses() {
        let returns = (0..<100).map { Double($0) }
        let q = ClassQuantiles(learningFrom: returns)
        #expect(q.cuts == [19.8, 39.6, 59.4, 79.2])
        var counts = [Int](repeating: 0, count: 5)
        for r in returns { counts[q.classify(r)] += 1 }
        #expect(counts == [20, 20, 20, 20, 20])
    }

    @Test func splitIsTimeOrderedAndNoTrainingLabelSeesValidation() throws {
        let candles = TestData.momentumSeries(count: 400)
        let rows = try LabeledSeries(name: "s", candles: candles, horizon: 10)
        let (training, validation) = rows.split(validationFraction: 0.25, horizon: 10)
        let firstValidation = validation.candleIndices.first!
        #expect(training.candleIndices.allSatisfy { $0 + 10 <= firstValidation })
        #expect(training.candleIndices.last! + 10 == firstValidation, "only the overlapping rows are dropped")
        #expect(validation.candleIndices.last! == candles.count - 11)
        #expect(rows.candleIndices.first! == FeatureExtractor.warmUp - 1)
    }

    @Test func learnsAPredictableSeriesAndBeatsBothBaselines() throws {
        let trainer = ModelTrainer(options: Self.smallOptions())
        let file = try trainer.train([.init(name: "momentum", candles: TestData.momentumSeries(count: 3000))],
                                     evaluation: [.init(name: "later", candles: TestData.momentumSeries(count: 1500, seed: 9))],
                                     command: "test")
        let v = file.metrics.validation
        #expect(v.samples > 500)
        #expect(v.beatsPrior, "log-loss \(v.logloss) vs prior \(v.priorLogloss)")
        #expect(v.accuracy > 0.3 && v.accuracy > v.persistenceAccuracy)
        #expect(abs(v.priorLogloss - log(5)) < 0.01, "quintile classes: the prior is nearly uniform")
        #expect(file.metrics.eval.count == 1 && file.metrics.eval[0].metrics.beatsPrior)
        #expect(file.trees.count % 5 == 0 && file.trees.count > 0)
    }

    @Test func trainingIsDeterministicAndTheFileRoundTrips() throws {
        var options = Self.smallOptions(horizon: 6)
        options.subsample = 0.7
        let candles = try TestData.candles("ETH_BTC-5m.csv")
        let a = try ModelTrainer(options: options).train([.init(name: "eth", candles: candles)], command: "test")
        let b = try ModelTrainer(options: options).train([.init(name: "eth", candles: candles)], command: "test")
        #expect(a == b)
        #expect(a.id.hasPrefix("gbt-"))
        let loaded = try ServingModel.load(a.encoded(), source: "m.json")
        let direct = try ServingModel(file: a, source: "memory")
        #expect(loaded.ensemble == direct.ensemble, "the JSON file holds every number exactly")
        #expect(loaded.info.metrics == a.metrics)
        #expect(loaded.info.horizon == 6 && loaded.info.classQuantiles == a.classQuantiles)
    }

    @Test func tooLittleDataIsAClearError() throws {
        let candles = Array(TestData.momentumSeries(count: 80))
        #expect(throws: ModelError.self) {
            try ModelTrainer(options: Self.smallOptions()).train([.init(name: "tiny", candles: candles)], command: "test")
        }
        var bad = Self.smallOptions()
        bad.depth = 0
        #expect(throws: ModelError(source: "training", reason: "depth must be 1...12")) {
            try ModelTrainer(options: bad).train([.init(name: "x", candles: candles)], command: "test")
        }
    }

    @Test func metricsOnAHandCountedExample() {
        // Rows: true classes 0, 1, 2, 2; predicted argmax 0, 2, 2, 2.
        let p: [Double] = [
            0.6, 0.1, 0.1, 0.1, 0.1,
            0.1, 0.2, 0.5, 0.1, 0.1,
            0.1, 0.1, 0.6, 0.1, 0.1,
            0.2, 0.1, 0.4, 0.2, 0.1,
        ]
        let m = Evaluator.metrics(probabilities: p, labels: [0, 1, 2, 2], persistence: [0, 0, 2, 3], prior: [0.2, 0.2, 0.2, 0.2, 0.2])
        #expect(m.samples == 4)
        #expect(m.accuracy == 0.75)
        #expect(m.persistenceAccuracy == 0.5)
        // F1: class 0 = 1, class 1 = 0, class 2 = 2·(2/3·1)/(2/3 + 1) = 0.8, classes 3, 4 = 0.
        #expect(abs(m.macroF1 - 1.8 / 5) < 1e-12)
        #expect(abs(m.logloss - -(log(0.6) + log(0.2) + log(0.6) + log(0.4)) / 4) < 1e-12)
        #expect(abs(m.priorLogloss - log(5)) < 1e-12)
    }
}
