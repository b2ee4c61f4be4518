import Foundation
import Indicators
import Testing
@testable import Model

@Suite struct ModelStoreTests {
    static let trained: ModelFile = {
        var options = TrainingTests.smallOptions()
        options.rounds = 5
        return try! ModelTrainer(options: options).train([.init(name: "momentum", candles: TestData.momentumSeries(count: 1200))], command: "test")
    }()

    func write(_ data: Data) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chloe-model-\(UUID()).json").path
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func aBadModelIsRefusedAndThePreviousKeepsServing() throws {
        let good = try write(Self.trained.encoded())
        let store = ModelStore(try ServingModel.load(path: good))
        let id = store.current.info.id

        var wrongVersion = Self.trained
        wrongVersion.formatVersion = 99
        let path = try write(wrongVersion.encoded())
        #expect(throws: ModelError(source: path, reason: "format_version 99 is not supported; this build reads version 1")) {
            try store.reload(path: path)
        }
        var renamed = Self.trained
        renamed.featureNames[0] = "astrology"
        #expect(throws: ModelError.self) { try store.reload(path: try write(renamed.encoded())) }
        var badQuantiles = Self.trained
        badQuantiles.classQuantiles = [0.1, 0]
        #expect(throws: ModelError.self) { try store.reload(path: try write(badQuantiles.encoded())) }
        #expect(throws: ModelError.self) { try store.reload(path: try write(Data("{\"format\":\"chloe-model\"}".utf8))) }
        #expect(throws: ModelError.self) { try store.reload(path: "/nonexistent/model.json") }
        #expect(store.current.info.id == id)

        let xgboost = try store.reload(path: TestData.fixture("xgb-multi.json").path)
        #expect(store.current === xgboost)
    }

    @Test func raterWarmsUpThenRatesWithTheCurrentModel() throws {
        let store = ModelStore(try ServingModel(file: Self.trained, source: "memory"))
        var rater = Rater(store: store)
        let candles = TestData.momentumSeries(count: 200, seed: 5)
        let direct = try FeatureExtractor.batch(candles)
        for (i, candle) in candles.enumerated() {
            let rating = try rater.rate(candle)
            guard i >= FeatureExtractor.warmUp - 1 else {
                #expect(rating == nil)
                continue
            }
            let r = try #require(rating)
            let p = store.current.ensemble.predict(direct.row(i))
            #expect(r.probabilities == p)
            #expect(r.level.rawValue == p.indices.max { p[$0] < p[$1] })
            #expect(r.version == Self.trained.id)
        }
        // A swap takes effect on the next candle, without a new warm-up.
        store.replace(with: try ServingModel.load(path: TestData.fixture("xgb-binary.json").path))
        let next = try #require(try rater.rate(candles[0]))
        #expect(next.probabilities.count == 2 && next.version.hasPrefix("xgboost-"))
    }
}
