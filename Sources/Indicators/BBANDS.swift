/// Bollinger bands (TA-Lib `BBANDS` with `matype` 0): the simple moving average of the last
/// `period` values, plus and minus `nbdev` population standard deviations.
///
/// Lookback `period - 1`. Follows TA-Lib 0.8's fused SMA path bit for bit: the middle band
/// is the SMA running sum, the deviation is the shifted-sums variance of TA-Lib 0.8's `VAR`
/// (see ``RollingVariance``; no fixed epsilon, so bands stay open on tiny quotes), and the
/// bands are `middle ± (stddev × nbdev)`. The same `nbdev` serves both bands.
public struct BBANDS: Sendable {
    /// One reading of the three bands.
    public struct Value: Sendable, Equatable {
        public var upper: Double
        public var middle: Double
        public var lower: Double

        public init(upper: Double, middle: Double, lower: Double) {
            self.upper = upper
            self.middle = middle
            self.lower = lower
        }
    }

    public let period: Int
    public let nbdev: Double
    var variance: RollingVariance
    /// SMA running sum: the window without its oldest value between updates.
    var sum = 0.0
    /// The latest reading; NaN fields during the warm-up.
    public private(set) var value = Value(upper: .nan, middle: .nan, lower: .nan)

    /// - Parameters:
    ///   - period: 2...100000, as TA-Lib.
    ///   - nbdev: band width in standard deviations, -3e37...3e37 as TA-Lib (need not be whole).
    public init(period: Int = 20, nbdev: Double = 2) throws(IndicatorError) {
        guard (2...100_000).contains(period) else {
            throw .invalidParameter(indicator: "bbands", parameter: "period", value: period, reason: "must be 2...100000")
        }
        guard nbdev.isFinite, (-3e37...3e37).contains(nbdev) else {
            throw .invalidParameter(indicator: "bbands", parameter: "nbdev", value: nbdev, reason: "must be a number in -3e37...3e37")
        }
        self.period = period
        self.nbdev = nbdev
        variance = RollingVariance(period: period)
    }

    public var lookback: Int { period - 1 }

    /// Feeds one value; returns the bands once `period` values are in, else nil.
    public mutating func update(_ x: Double) throws(IndicatorError) -> Value? {
        guard x.isFinite else { throw .nonFiniteInput(field: "value", value: x) }
        sum += x
        guard let v = variance.push(x) else { return nil }
        let middle = sum / Double(period)
        sum -= variance.window[age: period - 1]
        let width = (v != 0.0 ? v.squareRoot() : 0.0) * nbdev
        value = Value(upper: middle + width, middle: middle, lower: middle - width)
        return value
    }

    /// BBANDS over a whole series: three arrays, NaN for the first `period - 1` entries. The
    /// same arithmetic as `update`, with the window read from the input, block by block: the
    /// means and variances (the recursive part; the variance parked in `upper`), then the
    /// bands from them, two square roots per instruction. The finiteness check
    /// is the variance's sum of squares (see ``RollingVariance``): no instructions of its own
    /// in the loop.
    public static func batch(_ input: [Double], period: Int = 20, nbdev: Double = 2) throws(IndicatorError)
        -> (upper: [Double], middle: [Double], lower: [Double])
    {
        var bbands = try BBANDS(period: period, nbdev: nbdev)
        return try input.withUnsafeBufferPointer { (x) throws(IndicatorError) in
            var check = BatchSupport.FiniteCheck()
            let result = BatchSupport.columns(x.count) { upper, middle, lower in
                let start = BatchSupport.warmUp(upper, middle, lower, count: period - 1)
                for i in 0..<min(start + 1, x.count) { check.add(x[i]) }
                guard start < x.count else { return }
                // The warm-up through `update` itself (which gives nil for a non-finite input, rejected after the loop), up to the
                // first reading; then the sums on locals, without the ring buffer.
                for i in 0...start {
                    let v = try? bbands.update(x[i])
                    upper[i] = v?.upper ?? .nan
                    middle[i] = v?.middle ?? .nan
                    lower[i] = v?.lower ?? .nan
                }
                var variance = bbands.variance
                var sum = bbands.sum
                let divisor = Double(period)
                // Blocks of 16 (see `BatchSupport.blockSize`): 2.54 ns per value with blocks of 256
                // became 2.23.
                BatchSupport.forEachBlock(of: start + 1 ..< x.count, size: 16) { block in
                    for i in block {
                        let xi = x[i], departing = x[i &- (period &- 1)]
                        sum += xi
                        variance.add(xi)
                        upper[i] = variance.variance(removing: departing)
                            ?? variance.reseed(oldest: departing, check: &check) { x[i &- (period &- 1) &+ $0] }
                        middle[i] = sum / divisor
                        sum -= departing
                    }
                    BatchSupport.bands(upper: upper, middle: middle, lower: lower, block, times: nbdev)
                }
                check.add(variance.total2)
            }
            if check.failed { try BatchSupport.requireFinite(x) }
            return result
        }
    }
}

extension BBANDS: CandleIndicator {
    public var outputNames: [String] { ["upper", "middle", "lower"] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try update(candle.close) != nil
    }

    public func value(_ index: Int) -> Double {
        switch index {
        case 0: value.upper
        case 1: value.middle
        default: value.lower
        }
    }
}
