import Foundation
import Indicators

/// One candle series turned into rows for training or evaluation: the feature vector of every
/// candle past the warm-up whose forward return over the horizon is known.
///
/// Features use only candles up to the row's close; the forward return
/// `log(close[t + horizon] / close[t])` is the label's only look into the future, and the
/// persistence baseline's return `log(close[t] / close[t − horizon])` looks only back.
public struct LabeledSeries: Sendable {
    /// Where the candles came from (a path), for reports.
    public let name: String
    /// Row-major features, ``FeatureExtractor/count`` per row.
    public var features: [Double]
    /// Forward return of each row.
    public var forwardReturns: [Double]
    /// Backward return of each row over the same horizon (NaN when the series is too short).
    public var backwardReturns: [Double]
    /// The candle index of each row in the series.
    public var candleIndices: [Int]

    /// Number of rows.
    public var count: Int { forwardReturns.count }

    public init(name: String, candles: [Candle], horizon: Int) throws(IndicatorError) {
        self.name = name
        let matrix = try FeatureExtractor.batch(candles)
        let width = FeatureExtractor.count
        features = []
        forwardReturns = []
        backwardReturns = []
        candleIndices = []
        for t in 0..<max(0, candles.count - horizon) where matrix.ready[t] {
            let forward = log(candles[t + horizon].close / candles[t].close)
            guard forward.isFinite else { continue }
            features.append(contentsOf: matrix.values[t * width ..< (t + 1) * width])
            forwardReturns.append(forward)
            let backward = t >= horizon ? log(candles[t].close / candles[t - horizon].close) : .nan
            backwardReturns.append(backward.isFinite ? backward : .nan)
            candleIndices.append(t)
        }
    }

    /// The rows at `rows` (indices into this series), in order.
    func subset(_ rows: Range<Int>) -> LabeledSeries {
        var copy = self
        let width = FeatureExtractor.count
        copy.features = Array(features[rows.lowerBound * width ..< rows.upperBound * width])
        copy.forwardReturns = Array(forwardReturns[rows])
        copy.backwardReturns = Array(backwardReturns[rows])
        copy.candleIndices = Array(candleIndices[rows])
        return copy
    }

    /// Splits in time: the first `1 − validationFraction` of the candles train, the rest
    /// validates. Training rows whose forward window reaches into the validation part are
    /// dropped, so no training label sees a validation candle.
    func split(validationFraction: Double, horizon: Int) -> (training: LabeledSeries, validation: LabeledSeries) {
        let cut = Int((Double(count) * (1 - validationFraction)).rounded(.down))
        guard cut > 0, cut < count else { return (subset(0..<count), subset(count..<count)) }
        let firstValidationCandle = candleIndices[cut]
        var trainEnd = cut
        while trainEnd > 0, candleIndices[trainEnd - 1] + horizon > firstValidationCandle { trainEnd -= 1 }
        return (subset(0..<trainEnd), subset(cut..<count))
    }
}
