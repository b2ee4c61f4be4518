/// Population standard deviation of the last `period` values, times `nbdev`
/// (TA-Lib `STDDEV`).
///
/// Lookback `period - 1`. The variance is TA-Lib 0.8's shifted-sums `VAR` (see
/// ``RollingVariance``): exact on tiny quotes, never negative, exactly 0 on a flat window,
/// and square-rooted without TA-Lib 0.6's fixed epsilon cut-off. Bit-identical to TA-Lib 0.8.
public struct STDDEV: Sendable {
    public let period: Int
    public let nbdev: Double
    var variance: RollingVariance
    /// The latest value; NaN during the warm-up.
    public private(set) var value = Double.nan

    /// - Parameters:
    ///   - period: 2...100000, as TA-Lib.
    ///   - nbdev: multiplier, -3e37...3e37 as TA-Lib (need not be whole).
    public init(period: Int = 20, nbdev: Double = 1) throws(IndicatorError) {
        guard (2...100_000).contains(period) else {
            throw .invalidParameter(indicator: "stddev", parameter: "period", value: period, reason: "must be 2...100000")
        }
        guard nbdev.isFinite, (-3e37...3e37).contains(nbdev) else {
            throw .invalidParameter(indicator: "stddev", parameter: "nbdev", value: nbdev, reason: "must be a number in -3e37...3e37")
        }
        self.period = period
        self.nbdev = nbdev
        variance = RollingVariance(period: period)
    }

    public var lookback: Int { period - 1 }

    /// Feeds one value; returns the deviation once `period` values are in, else nil.
    public mutating func update(_ x: Double) throws(IndicatorError) -> Double? {
        guard x.isFinite else { throw .nonFiniteInput(field: "value", value: x) }
        guard let v = variance.push(x) else { return nil }
        value = v.squareRoot() * nbdev
        return value
    }

    /// STDDEV of a whole series: NaN for the first `period - 1` entries. The same variance
    /// arithmetic as `update`, with the window read from the input, block by block: the
    /// variances (the recursive part), then their square roots, several per instruction. The
    /// finiteness check is the variance's sum of squares (see ``RollingVariance``): no
    /// instructions of its own in the loop.
    public static func batch(_ input: [Double], period: Int = 20, nbdev: Double = 1) throws(IndicatorError) -> [Double] {
        var stddev = try STDDEV(period: period, nbdev: nbdev)
        return try input.withUnsafeBufferPointer { (x) throws(IndicatorError) in
            var check = BatchSupport.FiniteCheck()
            let result = BatchSupport.column(x.count) { out in
                let start = BatchSupport.warmUp(out, period - 1)
                for i in 0..<min(start + 1, x.count) { check.add(x[i]) }
                guard start < x.count else { return }
                // The warm-up through `update` itself (which gives nil for a non-finite input, rejected after the loop), up to the
                // first value; then the variance on a local copy, without the ring buffer.
                for i in 0...start { out[i] = (try? stddev.update(x[i])) ?? .nan }
                var variance = stddev.variance
                // Blocks of 16 (see `BatchSupport.blockSize`): 2.26 ns per value with blocks of 256
                // became 1.76.
                BatchSupport.forEachBlock(of: start + 1 ..< x.count, size: 16) { block in
                    for i in block {
                        let oldest = i &- (period &- 1)
                        variance.add(x[i])
                        out[i] = variance.variance(removing: x[oldest]) ?? variance.reseed(oldest: x[oldest], check: &check) { x[oldest &+ $0] }
                    }
                    BatchSupport.squareRoots(out, block, times: nbdev)
                }
                check.add(variance.total2)
            }
            if check.failed { try BatchSupport.requireFinite(x) }
            return result
        }
    }
}

extension STDDEV: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try update(candle.close) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
