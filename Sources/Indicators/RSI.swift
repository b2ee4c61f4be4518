/// Relative strength index with Wilder smoothing (TA-Lib `RSI`).
///
/// Lookback `period`: the first value needs `period` changes. The average gain and loss
/// start as plain means of the first `period` changes, then follow
/// `avg = (avg × (period − 1) + change) × (1 / period)`; the output is
/// `100 × gain / (gain + loss)`, and 0 when both averages are exactly zero (a flat series),
/// as TA-Lib 0.8.x answers. Bit-identical to TA-Lib 0.8, including its multiply by a
/// hoisted `1 / period` and its exact (not epsilon) zero test.
public struct RSI: Sendable {
    public let period: Int
    let inversePeriod: Double
    let decay: Double
    /// Values seen, up to `period + 1`.
    var seen = 0
    var previous = 0.0
    var averageGain = 0.0
    var averageLoss = 0.0
    /// The latest RSI; NaN during the warm-up.
    public private(set) var value = Double.nan

    /// - Parameter period: 2...100000, as TA-Lib.
    public init(period: Int = 14) throws(IndicatorError) {
        guard (2...100_000).contains(period) else {
            throw .invalidParameter(indicator: "rsi", parameter: "period", value: period, reason: "must be 2...100000")
        }
        self.period = period
        inversePeriod = 1.0 / Double(period)
        decay = Double(period - 1)
    }

    public var lookback: Int { period }

    /// Feeds one value; returns the RSI once `period + 1` values are in, else nil.
    public mutating func update(_ x: Double) throws(IndicatorError) -> Double? {
        guard x.isFinite else { throw .nonFiniteInput(field: "value", value: x) }
        return step(x)
    }

    /// The recursion for a value already known to be finite (STOCHRSI chains through this).
    @inline(__always) mutating func step(_ x: Double) -> Double? {
        let change = x - previous
        previous = x
        // TA-Lib splits without a branch on the sign: the loss term gain - change is exact.
        let gain = change > 0.0 ? change : 0.0
        if seen > period {
            Self.smooth(&averageGain, &averageLoss, gain: gain, change: change, decay: decay, inversePeriod: inversePeriod)
        } else if seen == 0 {
            seen = 1
            return nil
        } else {
            averageGain += gain
            averageLoss += gain - change
            seen += 1
            guard seen > period else { return nil }
            averageLoss *= inversePeriod
            averageGain *= inversePeriod
        }
        value = Self.index(gain: averageGain, loss: averageLoss)
        return value
    }

    /// One step of Wilder's smoothing of both averages, in TA-Lib's order (`step` and the
    /// batch loop share it).
    @inline(__always) static func smooth(_ gainAverage: inout Double, _ lossAverage: inout Double, gain: Double, change: Double,
                                         decay: Double, inversePeriod: Double)
    {
        lossAverage *= decay
        gainAverage *= decay
        gainAverage += gain
        lossAverage += gain - change
        lossAverage *= inversePeriod
        gainAverage *= inversePeriod
    }

    /// The RSI of the two averages: 0 when both are zero.
    @inline(__always) static func index(gain: Double, loss: Double) -> Double {
        let total = gain + loss
        return total > 0.0 ? 100.0 * (gain / total) : 0.0
    }

    /// The RSI of a whole series: NaN for the first `period` entries.
    public static func batch(_ input: [Double], period: Int = 14) throws(IndicatorError) -> [Double] {
        var rsi = try RSI(period: period)
        return try input.withUnsafeBufferPointer { (x) throws(IndicatorError) in
            var check = BatchSupport.FiniteCheck()
            let result = BatchSupport.column(x.count) { out in
                // The warm-up through `step` itself, up to the first value; then its
                // recursion on locals.
                let start = BatchSupport.warmUp(out, period)
                for i in 0..<min(start + 1, x.count) { check.add(x[i]) }
                guard start < x.count else { return }
                for i in 0...start { out[i] = rsi.step(x[i]) ?? .nan }
                var previous = rsi.previous, gainAverage = rsi.averageGain, lossAverage = rsi.averageLoss
                let decay = rsi.decay, inversePeriod = rsi.inversePeriod
                // Per block of 64, the recursion (gain average into `out`, loss average into a
                // scratch), then the values from them, which vectorises: 2.39 ns per value in one
                // loop became 2.23 (see `BatchSupport.blockSize`). The loss average is the
                // loop's finiteness check: a non-finite value makes the change, and so the
                // average, NaN or infinite for good.
                withUnsafeTemporaryAllocation(of: Double.self, capacity: 64) { losses in
                    let losses = losses.baseAddress!
                    BatchSupport.forEachBlock(of: start + 1 ..< x.count, size: 64) { block in
                        let b = block.lowerBound
                        for i in block {
                            let change = x[i] - previous
                            previous = x[i]
                            smooth(&gainAverage, &lossAverage, gain: change > 0.0 ? change : 0.0, change: change,
                                   decay: decay, inversePeriod: inversePeriod)
                            out[i] = gainAverage
                            losses[i &- b] = lossAverage
                        }
                        for i in block { out[i] = index(gain: out[i], loss: losses[i &- b]) }
                    }
                }
                check.add(lossAverage)
            }
            if check.failed { try BatchSupport.requireFinite(x) }
            return result
        }
    }
}

extension RSI: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try update(candle.close) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
