import ArgumentParser
import Foundation
import Host
import Model

/// `chloe bench model`: ns per prediction of the rating model.
struct BenchModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Time the rating model: ns per prediction and per rating on candle close.",
        discussion: """
        Feature vectors come from a real candle file (the bundled sample unless --candles is \
        given). `predict` is one TreeEnsemble.predict on a ready vector (no allocation); \
        `rate` is Rater.rate per candle: the streaming features, the prediction and the rating \
        value. Each figure is the best of --rounds runs. Goal: under 2 µs per prediction for \
        100 trees.
        """
    )

    @Option(help: "Model file (Chloe or XGBoost JSON).")
    var model: String = "models/default.json"

    @Option(help: "Candle file the feature vectors come from.")
    var candles: String = "samples/candles/XRP_ETH-1m.csv"

    @Option(help: "Predictions per run.")
    var count: Int = 1_000_000

    @Option(help: "Runs per figure; the best is reported.")
    var rounds: Int = 5

    @Flag(help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let loaded: ServingModel
        do {
            loaded = try ServingModel.load(path: model)
        } catch {
            FileHandle.standardError.write(Data("chloe bench model: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let series = try CandleFile.read(path: candles)
        let r = try ModelBenchmark(model: loaded, candles: series, count: count, rounds: rounds).run()
        let per100 = r.predict / Double(max(1, r.trees)) * 100
        if json {
            print("{\"model\":\"\(loaded.info.id)\",\"trees\":\(r.trees),\"predict_ns\":\(format(r.predict)),\"predict_ns_per_100_trees\":\(format(per100)),\"features_ns\":\(format(r.features)),\"rate_ns\":\(format(r.rate))}")
        } else {
            print("model \(loaded.info.id): \(r.trees) trees, best of \(rounds)")
            print("predict  \(format(r.predict)) ns/prediction  (\(format(per100)) ns per 100 trees)")
            print("features \(format(r.features)) ns/candle (streaming feature update alone)")
            print("rate     \(format(r.rate)) ns/candle (features + prediction + rating)")
        }
    }

    private func format(_ ns: Double) -> String { String(format: "%.1f", ns) }
}
