/// Commodity channel index (TA-Lib `CCI`).
///
/// With typical price tp = (high + low + close) / 3 and its mean m over the last `period`
/// candles, CCI = `(tp - m) / (0.015 * meanAbsoluteDeviation)`; 0 when either `tp - m` or
/// the mean absolute deviation is <= 1e-14 × |m| (TA-Lib 0.8's flatness test, relative to
/// the window's price level). Lookback `period - 1`.
///
/// Each update re-sums the window, in the same order as TA-Lib (mean absolute deviation
/// has no exact running form), so an update costs O(`period`) with no allocation.
public struct CCI: Sendable {
    public let period: Int
    var window: RingBuffer
    /// The latest value; NaN during the warm-up.
    public private(set) var value = Double.nan

    /// - Parameter period: 2...100000, as TA-Lib.
    public init(period: Int = 14) throws(IndicatorError) {
        try RangesSupport.period(period, of: "cci", in: 2...100_000)
        self.period = period
        window = RingBuffer(capacity: period)
    }

    public var lookback: Int { period - 1 }

    /// Feeds one candle's prices; returns the CCI once `period` candles are in, else nil.
    public mutating func update(high: Double, low: Double, close: Double) throws(IndicatorError) -> Double? {
        try RangesSupport.check(high: high, low: low, close: close)
        return step(high: high, low: low, close: close)
    }

    mutating func step(high: Double, low: Double, close: Double) -> Double? {
        let typical = (high + low + close) / 3
        window.push(typical)
        guard window.isFull else { return nil }
        let n = Double(period)
        // TA-Lib sums its circular buffer from slot 0, as RingBuffer stores it.
        let (average, deviation) = window.storage.withUnsafeBufferPointer { slots in
            var average = 0.0
            for x in slots { average += x }
            average /= n
            var deviation = 0.0
            for x in slots { deviation += abs(x - average) }
            return (average, deviation / n)
        }
        let distance = typical - average
        let level = abs(average)
        if !RangesSupport.isZero(distance, scale: level), !RangesSupport.isZero(deviation, scale: level) {
            value = distance / (0.015 * deviation)
        } else {
            value = 0.0
        }
        return value
    }

    /// The CCI of a whole series: NaN for the first `period - 1` entries.
    public static func batch(high: [Double], low: [Double], close: [Double], period: Int = 14) throws(IndicatorError) -> [Double] {
        try batch(CCI(period: period), high: high, low: low, close: close)
    }
}

extension CCI: HighLowCloseIndicator {}

extension CCI: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try candle.validate()
        return step(high: candle.high, low: candle.low, close: candle.close) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
