import Foundation

/// Trains a multiclass (softmax) gradient-boosted tree ensemble on labelled feature rows:
/// each round computes the softmax gradients once, then grows one tree per class; the
/// validation log-loss after each round drives early stopping, and the ensemble is cut back
/// to its best round. Deterministic for given rows and options.
public struct GradientBoostingTrainer: Sendable {
    /// The state after one round, for a progress display.
    public struct Progress: Sendable {
        public var round: Int
        public var rounds: Int
        public var trainingLoss: Double
        public var validationLoss: Double
        public var bestRound: Int
    }

    /// The trained trees and what they start from.
    public struct Result: Sendable {
        public var trees: [ModelFile.Tree]
        public var baseMargins: [Double]
        /// Rounds kept (the best validation round).
        public var rounds: Int
        /// Rounds run before stopping.
        public var roundsRun: Int
    }

    public let options: TrainingOptions
    public let classes: Int

    public init(options: TrainingOptions, classes: Int = RatingLevel.allCases.count) {
        self.options = options
        self.classes = classes
    }

    /// Trains on row-major `features` (``FeatureExtractor/count`` per row) with `labels`,
    /// validating on `validationFeatures` / `validationLabels` (early stopping needs at
    /// least one validation row). `prior` gives the starting margins (its logs).
    public func train(features: [Double], labels: [Int], validationFeatures: [Double], validationLabels: [Int],
                      prior: [Double], progress: (Progress) -> Void = { _ in }) -> Result {
        let width = FeatureExtractor.count
        let n = labels.count
        let m = validationLabels.count
        let bins = FeatureBins(features: features, width: width, bins: options.bins)
        let trainBins = bins.binned(features, width: width)
        let validBins = bins.binned(validationFeatures, width: width)
        let builder = TreeBuilder(bins: bins, width: width, options: options)
        let base = prior.map { log(max($0, 1e-15)) }

        var trainMargins = [Double](repeating: 0, count: n * classes)
        var validMargins = [Double](repeating: 0, count: m * classes)
        for r in 0..<n { for k in 0..<classes { trainMargins[r * classes + k] = base[k] } }
        for r in 0..<m { for k in 0..<classes { validMargins[r * classes + k] = base[k] } }
        var gradients = [[Double]](repeating: [Double](repeating: 0, count: n), count: classes)
        var hessians = gradients
        var trees = [ModelFile.Tree]()
        var best = (round: 0, loss: Self.logloss(validMargins, labels: validationLabels, classes: classes))
        var random = SplitMix64(seed: options.seed)
        var probabilities = [Double](repeating: 0, count: classes)
        var roundsRun = 0

        for round in 1...options.rounds {
            roundsRun = round
            // Softmax gradients of every class from this round's margins.
            for r in 0..<n {
                Self.softmax(trainMargins, row: r, classes: classes, into: &probabilities)
                for k in 0..<classes {
                    let p = probabilities[k]
                    gradients[k][r] = p - (labels[r] == k ? 1 : 0)
                    hessians[k][r] = max(p * (1 - p), 1e-16)
                }
            }
            var sample = [Int32]()
            sample.reserveCapacity(n)
            for r in 0..<n where options.subsample >= 1 || random.nextUnit() < options.subsample { sample.append(Int32(r)) }
            for k in 0..<classes {
                var rows = sample
                let nodes = trainBins.withUnsafeBufferPointer { binned in
                    gradients[k].withUnsafeBufferPointer { g in
                        hessians[k].withUnsafeBufferPointer { h in
                            builder.build(binned: binned, gradients: g, hessians: h, rows: &rows)
                        }
                    }
                }
                trainBins.withUnsafeBufferPointer { binned in
                    for r in 0..<n { trainMargins[r * classes + k] += TreeBuilder.leafValue(nodes, binned: binned, row: r, width: width) }
                }
                validBins.withUnsafeBufferPointer { binned in
                    for r in 0..<m { validMargins[r * classes + k] += TreeBuilder.leafValue(nodes, binned: binned, row: r, width: width) }
                }
                trees.append(builder.fileTree(nodes, margin: k))
            }
            let validLoss = Self.logloss(validMargins, labels: validationLabels, classes: classes)
            if validLoss < best.loss || m == 0 { best = (round, validLoss) }
            progress(Progress(round: round, rounds: options.rounds, trainingLoss: Self.logloss(trainMargins, labels: labels, classes: classes),
                              validationLoss: validLoss, bestRound: best.round))
            if options.earlyStopping > 0, m > 0, round - best.round >= options.earlyStopping { break }
        }
        return Result(trees: Array(trees.prefix(best.round * classes)), baseMargins: base, rounds: best.round, roundsRun: roundsRun)
    }

    static func softmax(_ margins: [Double], row: Int, classes: Int, into p: inout [Double]) {
        var top = -Double.infinity
        for k in 0..<classes { top = max(top, margins[row * classes + k]) }
        var sum = 0.0
        for k in 0..<classes {
            p[k] = exp(margins[row * classes + k] - top)
            sum += p[k]
        }
        for k in 0..<classes { p[k] /= sum }
    }

    /// Mean multiclass log-loss of row-major margins.
    static func logloss(_ margins: [Double], labels: [Int], classes: Int) -> Double {
        guard !labels.isEmpty else { return .nan }
        var p = [Double](repeating: 0, count: classes)
        var total = 0.0
        for r in labels.indices {
            softmax(margins, row: r, classes: classes, into: &p)
            total -= log(max(p[labels[r]], 1e-15))
        }
        return total / Double(labels.count)
    }
}

/// A small seeded generator (SplitMix64): the same seed gives the same draws on every platform.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform draw in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }
}
