import Indicators

/// Feature vectors of a whole candle series, one row per candle, row-major in one flat array.
///
/// Rows before the extractor's warm-up are NaN and marked not ready.
public struct FeatureMatrix: Sendable, Equatable {
    /// Number of rows (candles).
    public let rows: Int
    /// Number of columns: ``FeatureExtractor/count``.
    public let columns: Int
    /// Row-major values: row `r`, column `c` at `r * columns + c`.
    public var values: [Double]
    /// Whether row `r` holds a complete vector.
    public var ready: [Bool]
    /// Each row's candle open time.
    public var times: [Int64]

    /// Row `r` as an array.
    public func row(_ r: Int) -> [Double] {
        Array(values[r * columns ..< (r + 1) * columns])
    }

    /// The value at row `r`, column `c`.
    public subscript(r: Int, c: Int) -> Double { values[r * columns + c] }
}

extension FeatureExtractor {
    /// The feature vectors of `candles`, computed by feeding them one by one through a fresh
    /// extractor: the same path serving takes.
    public static func batch(_ candles: [Candle]) throws(IndicatorError) -> FeatureMatrix {
        var extractor = FeatureExtractor()
        var values = [Double]()
        values.reserveCapacity(candles.count * count)
        var ready = [Bool]()
        ready.reserveCapacity(candles.count)
        for candle in candles {
            ready.append(try extractor.update(candle))
            values.append(contentsOf: extractor.values)
        }
        return FeatureMatrix(rows: candles.count, columns: count, values: values, ready: ready, times: candles.map(\.time))
    }
}
