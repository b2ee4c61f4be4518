import ArgumentParser
import Foundation
import Host
import Indicators
import Model

/// `chloe train`: trains the rating model on candle files and evaluates it.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the 5-level rating model (gradient-boosted trees) on candle files and evaluate it.",
        discussion: """
        Every candle file gives one feature vector per candle (see docs/model.md) labelled by \
        its forward return over --horizon candles, cut into five classes (strong sell ... strong \
        buy) at the 20/40/60/80% quantiles of the training returns. Each file is split in time: \
        its last --validation-fraction validates, the rest trains (training rows whose label \
        would see a validation candle are dropped). Loss per round goes to stderr; the metrics \
        (accuracy, macro-F1, log-loss, and the class-prior and persistence baselines) of the \
        validation part and of every --eval file go to stdout and into the model file.

        --dump-features FILE writes the feature rows of the --candles files as CSV \
        (time, features, forward_return) and exits: the input of scripts/xgboost_reference.py.
        """
    )

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Candle files to train on (CSV or freqtrade JSON).", valueName: "file"))
    var candles: [String]

    @Option(help: ArgumentHelp("Where to write the model (JSON).", valueName: "model.json"))
    var out: String?

    @Option(help: "Candles ahead the label's forward return looks.")
    var horizon = TrainingOptions().horizon

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Candle files to evaluate the trained model on.", valueName: "file"))
    var eval: [String] = []

    @Option(help: ArgumentHelp("Write the metrics as JSON to this file.", valueName: "file"))
    var report: String?

    @Option(help: "Boosting rounds at most (one tree per class each).")
    var rounds = TrainingOptions().rounds

    @Option(help: "Tree depth at most.")
    var depth = TrainingOptions().depth

    @Option(help: "Learning rate (shrinkage).")
    var learningRate = TrainingOptions().learningRate

    @Option(help: "Stop after this many rounds without a better validation log-loss (0: never).")
    var earlyStopping = TrainingOptions().earlyStopping

    @Option(help: "Share of each file, at its end, held out for validation.")
    var validationFraction = TrainingOptions().validationFraction

    @Option(help: "Share of training rows each round sees, drawn with --seed.")
    var subsample = TrainingOptions().subsample

    @Option(help: "Seed of the row sampling.")
    var seed = TrainingOptions().seed

    @Option(help: "Histogram bins per feature (2...255).")
    var bins = TrainingOptions().bins

    @Option(help: ArgumentHelp("Write the feature rows of the --candles files as CSV to this file and exit.", valueName: "file"))
    var dumpFeatures: String?

    func validate() throws {
        guard !candles.isEmpty else { throw ValidationError("give at least one --candles file") }
        if dumpFeatures == nil, out == nil { throw ValidationError("--out is required (where to write the model)") }
    }

    func run() throws {
        var options = TrainingOptions()
        options.horizon = horizon
        options.rounds = rounds
        options.depth = depth
        options.learningRate = learningRate
        options.earlyStopping = earlyStopping
        options.validationFraction = validationFraction
        options.subsample = subsample
        options.seed = seed
        options.bins = bins
        do {
            try options.validate()
        } catch {
            throw ValidationError(error.reason)
        }
        let trainer = ModelTrainer(options: options)
        let training = try read(candles)
        if let dumpFeatures {
            try fail { () throws(ModelError) in try FeatureDump.write(training, trainer: trainer, to: dumpFeatures) }
            return
        }
        let evaluation = try read(eval)
        let command = (["chloe"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
        var bar = TrainingProgressBar()
        let file = try fail { () throws(ModelError) in
            try trainer.train(training, evaluation: evaluation, command: command,
                              created: ISO8601DateFormatter().string(from: Date()), progress: { bar.show($0) })
        }
        bar.finish()
        guard let out else { return }
        do {
            try file.encoded().write(to: URL(fileURLWithPath: out), options: .atomic)
            if let report {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
                try encoder.encode(file.metrics).write(to: URL(fileURLWithPath: report), options: .atomic)
            }
        } catch {
            FileHandle.standardError.write(Data("chloe train: cannot write: \(error.localizedDescription)\n".utf8))
            throw ExitCode(2)
        }
        print(TrainingSummary(file: file).text, terminator: "")
    }

    /// Reads candle files, or exits 2 naming the bad one.
    private func read(_ paths: [String]) throws -> [ModelTrainer.Series] {
        var series = [ModelTrainer.Series]()
        for path in paths {
            do {
                series.append(ModelTrainer.Series(name: path, candles: try CandleFile.read(path: path)))
            } catch {
                FileHandle.standardError.write(Data("chloe train: \(error)\n".utf8))
                throw ExitCode(2)
            }
        }
        return series
    }

    /// Runs `body`, turning a model error into a message on stderr and exit code 2.
    private func fail<T>(_ body: () throws(ModelError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            FileHandle.standardError.write(Data("chloe train: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
