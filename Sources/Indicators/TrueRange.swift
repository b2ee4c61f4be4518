/// True range (TA-Lib `TRANGE`): the greatest of today's high - low, |previous close - high|
/// and |previous close - low|.
///
/// Lookback 1: like TA-Lib, the first candle only supplies the previous close (no
/// high - low value is emitted for it).
public struct TrueRange: Sendable {
    var previousClose = 0.0
    var started = false
    /// The latest true range; NaN during the warm-up.
    public private(set) var value = Double.nan

    public init() {}

    public var lookback: Int { 1 }

    /// Feeds one candle's prices; returns the true range from the second candle on, else nil.
    public mutating func update(high: Double, low: Double, close: Double) throws(IndicatorError) -> Double? {
        try RangesSupport.check(high: high, low: low, close: close)
        return step(high: high, low: low, close: close)
    }

    @inline(__always) mutating func step(high: Double, low: Double, close: Double) -> Double? {
        defer { previousClose = close }
        guard started else {
            started = true
            return nil
        }
        value = RangesSupport.trueRange(high: high, low: low, previousClose: previousClose)
        return value
    }

    /// The true range of whole series: NaN for the first entry.
    public static func batch(high: [Double], low: [Double], close: [Double]) throws(IndicatorError) -> [Double] {
        try BatchSupport.highLowClose(high, low, close) { high, low, close, out in
            var check = BatchSupport.FiniteCheck()
            BatchSupport.warmUp(out, 1)
            guard close.count > 0 else { return check }
            check.add(high[0], low[0], close[0])
            check.add(close[close.count &- 1])
            // The finiteness check is the true range's own differences, as in ATR's loop: high -
            // low covers both prices, previous close - high the previous close. Checked per
            // candle rather than summed as ATR does: without ATR's smoothing chain to hide it,
            // the sum's chain of additions would bound this loop (ATR's `fill` with period 1
            // measured 0.92 ns per candle against this loop's 0.58).
            for i in 1 ..< close.count {
                let h = high[i], l = low[i], previousClose = close[i &- 1]
                let highLow = h - l, closeHigh = previousClose - h
                check.add(sumOfDifferences: highLow + closeHigh)
                out[i] = RangesSupport.trueRange(highLow: highLow, closeHigh: closeHigh, closeLow: previousClose - l)
            }
            return check
        }
    }
}

extension TrueRange: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try candle.validate()
        return step(high: candle.high, low: candle.low, close: candle.close) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
