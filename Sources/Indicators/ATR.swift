/// Average true range (TA-Lib `ATR`): Wilder's smoothing of the true range.
///
/// The first value is the simple average of the first `period` true ranges; each later one
/// is `beta * previous + alpha * trueRange` with `beta = (period - 1) / period` and
/// `alpha = 1 - beta`, evaluated as TA-Lib 0.8 does: one fused multiply-add,
/// `fma(beta, previous, alpha * trueRange)`. Lookback `period` (one candle goes to the first
/// previous close). With `period` 1 it is the plain true range.
public struct ATR: Sendable {
    public let period: Int
    var trueRange = TrueRange()
    var seedSum = 0.0
    var seedCount = 0
    /// Wilder weights: beta = (period - 1) / period, alpha = 1 - beta (TA-Lib derives alpha
    /// from beta, so the two add up to exactly 1).
    let beta: Double
    let alpha: Double
    /// The latest average; NaN during the warm-up.
    public private(set) var value = Double.nan

    /// - Parameter period: 1...100000, as TA-Lib.
    public init(period: Int = 14) throws(IndicatorError) {
        try RangesSupport.period(period, of: "atr", in: 1...100_000)
        self.period = period
        beta = Double(period - 1) / Double(period)
        alpha = 1.0 - beta
    }

    public var lookback: Int { period }

    /// Feeds one candle's prices; returns the ATR once `lookback + 1` candles are in, else nil.
    public mutating func update(high: Double, low: Double, close: Double) throws(IndicatorError) -> Double? {
        try RangesSupport.check(high: high, low: low, close: close)
        return step(high: high, low: low, close: close)
    }

    @inline(__always) mutating func step(high: Double, low: Double, close: Double) -> Double? {
        guard let tr = trueRange.step(high: high, low: low, close: close) else { return nil }
        if period == 1 {
            value = tr
            return tr
        }
        if seedCount < period {
            seedSum += tr
            seedCount += 1
            guard seedCount == period else { return nil }
            value = seedSum / Double(period)
            return value
        }
        value = (alpha * tr).addingProduct(beta, value)
        return value
    }

    /// The ATR of a whole series: NaN for the first `period` entries.
    public static func batch(high: [Double], low: [Double], close: [Double], period: Int = 14) throws(IndicatorError) -> [Double] {
        let prototype = try ATR(period: period)
        return try BatchSupport.highLowClose(high, low, close) { high, low, close, out in
            prototype.fill(high, low, close, out) { _, average in average }
        }
    }

    /// Runs a copy of `self` (fresh) over whole series, writing `output(i, atr)` from the
    /// first value on and NaN before: the warm-up through `step` itself, then its recursion
    /// on locals (NATR shares this loop). The loop's speed is the latency of its one fused
    /// multiply-add per candle, if the rest fits beside it: so its finiteness check is the
    /// sum of the true range's own differences (high - low covers both prices, previous
    /// close - high the previous close; the last close is checked after the loop). Returns
    /// the finiteness check of every input.
    ///
    /// `finish` runs on each stretch of `out` once written (up to ``BatchSupport/blockSize``
    /// entries, while they are still in cache), for work that does not feed the recursion and
    /// vectorises in a loop of its own (NATR's division by the close).
    @inline(__always)
    func fill(_ high: UnsafeBufferPointer<Double>, _ low: UnsafeBufferPointer<Double>, _ close: UnsafeBufferPointer<Double>,
              _ out: UnsafeMutableBufferPointer<Double>, _ output: (Int, Double) -> Double,
              finish: (Range<Int>) -> Void = { _ in }) -> BatchSupport.FiniteCheck
    {
        var atr = self
        var check = BatchSupport.FiniteCheck()
        let start = BatchSupport.warmUp(out, lookback)
        for i in 0..<start { check.add(high[i], low[i], close[i]) }
        guard start < close.count else { return check }
        for i in 0..<start { _ = atr.step(high: high[i], low: low[i], close: close[i]) }
        check.add(high[start], low[start], close[start])
        check.add(close[close.count - 1])
        var value = atr.step(high: high[start], low: low[start], close: close[start])!
        out[start] = output(start, value)
        finish(start ..< start + 1)
        let alpha = self.alpha, beta = self.beta
        var differences = 0.0
        // The loop twice, for `period` 1 (the plain true range) and the rest, so neither
        // tests which it is per candle. Blocks of 64 (see ``BatchSupport/blockSize``): NATR's
        // 1.19 ns per candle with 256 became 1.13.
        @inline(__always) func run(smoothing: Bool) {
            BatchSupport.forEachBlock(of: start + 1 ..< close.count, size: 64) { block in
                for i in block {
                    let h = high[i], l = low[i], previousClose = close[i &- 1]
                    let highLow = h - l, closeHigh = previousClose - h
                    differences += highLow + closeHigh
                    let range = RangesSupport.trueRange(highLow: highLow, closeHigh: closeHigh, closeLow: previousClose - l)
                    value = smoothing ? (alpha * range).addingProduct(beta, value) : range
                    out[i] = output(i, value)
                }
                finish(block)
            }
        }
        if period == 1 { run(smoothing: false) } else { run(smoothing: true) }
        check.add(sumOfDifferences: differences)
        return check
    }
}

extension ATR: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try candle.validate()
        return step(high: candle.high, low: candle.low, close: candle.close) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
