/// Wilder's parabolic stop and reverse (TA-Lib `SAR`).
///
/// Follows TA-Lib's bootstrap exactly: the first candle is consumed; the direction for the
/// second is short when the one-period -DM between the first two candles is positive
/// (previous low - low > 0 and larger than high - previous high), long otherwise (ties
/// included); the initial SAR is the first candle's low (long) or high (short) and the
/// initial extreme point the second candle's high (long) or low (short). The acceleration
/// factor starts at `acceleration`, grows by it on each new extreme, and is capped at
/// `maximum` (an `acceleration` above `maximum` is lowered to it, as TA-Lib does). Each step
/// `sar + af * (ep - sar)` is one fused multiply-add, as in TA-Lib 0.8. Lookback 1.
public struct ParabolicSAR: Sendable {
    public let acceleration: Double
    public let maximum: Double
    /// The acceleration step in effect: `acceleration`, or `maximum` if that is smaller.
    let step: Double
    var count = 0
    var isLong = true
    var af = 0.0
    var extreme = 0.0
    var sar = 0.0
    var previousHigh = 0.0
    var previousLow = 0.0
    /// The latest SAR; NaN during the warm-up.
    public private(set) var value = Double.nan

    /// - Parameters:
    ///   - acceleration: initial and incremental acceleration factor, finite and >= 0.
    ///   - maximum: cap on the acceleration factor, finite and >= 0.
    public init(acceleration: Double = 0.02, maximum: Double = 0.2) throws(IndicatorError) {
        guard acceleration.isFinite, acceleration >= 0 else {
            throw .invalidParameter(indicator: "sar", parameter: "acceleration", value: acceleration, reason: "must be a finite number >= 0")
        }
        guard maximum.isFinite, maximum >= 0 else {
            throw .invalidParameter(indicator: "sar", parameter: "maximum", value: maximum, reason: "must be a finite number >= 0")
        }
        self.acceleration = acceleration
        self.maximum = maximum
        step = acceleration > maximum ? maximum : acceleration
    }

    public var lookback: Int { 1 }

    /// Feeds one candle's high and low; returns the SAR for this candle from the second
    /// candle on, else nil.
    public mutating func update(high: Double, low: Double) throws(IndicatorError) -> Double? {
        try RangesSupport.check(high: high, low: low)
        return advance(high: high, low: low)
    }

    @inline(__always) mutating func advance(high: Double, low: Double) -> Double? {
        if count == 0 {
            count = 1
            previousHigh = high
            previousLow = low
            return nil
        }
        if count == 1 {
            count = 2
            let diffP = high - previousHigh
            let diffM = previousLow - low
            isLong = !(diffM > 0 && diffP < diffM)
            if isLong {
                extreme = high
                sar = previousLow
            } else {
                extreme = low
                sar = previousHigh
            }
            af = step
            // TA-Lib uses the second candle as its own "previous" candle.
            previousHigh = high
            previousLow = low
        }
        return trail(high: high, low: low)
    }

    /// One step once the direction is set (from the second candle on): the SAR for this
    /// candle, and the next one's.
    @inline(__always) mutating func trail(high: Double, low: Double) -> Double {
        let prevHigh = previousHigh
        let prevLow = previousLow
        previousHigh = high
        previousLow = low
        if isLong {
            if low <= sar {
                // Reverse to short: the SAR jumps to the extreme point.
                isLong = false
                sar = extreme
                if sar < prevHigh { sar = prevHigh }
                if sar < high { sar = high }
                value = sar
                af = step
                extreme = low
                sar = sar.addingProduct(af, extreme - sar)
                if sar < prevHigh { sar = prevHigh }
                if sar < high { sar = high }
            } else {
                value = sar
                (extreme, af) = Self.extend(extreme, af, to: high, when: high > extreme, step: step, maximum: maximum)
                let floor = low < prevLow ? low : prevLow  // off the SAR's dependency chain
                sar = sar.addingProduct(af, extreme - sar)
                if sar > floor { sar = floor }
            }
        } else if high >= sar {
            // Reverse to long.
            isLong = true
            sar = extreme
            if sar > prevLow { sar = prevLow }
            if sar > low { sar = low }
            value = sar
            af = step
            extreme = high
            sar = sar.addingProduct(af, extreme - sar)
            if sar > prevLow { sar = prevLow }
            if sar > low { sar = low }
        } else {
            value = sar
            (extreme, af) = Self.extend(extreme, af, to: low, when: low < extreme, step: step, maximum: maximum)
            let ceiling = high > prevHigh ? high : prevHigh
            sar = sar.addingProduct(af, extreme - sar)
            if sar < ceiling { sar = ceiling }
        }
        return value
    }

    /// A new extreme point and its acceleration, `(price, min(af + step, maximum))`, when
    /// `isNew`, else `(extreme, af)` unchanged: both lanes chosen by one mask rather than a
    /// branch, which mispredicts on a real, non-repeating series.
    @inline(__always) static func extend(_ extreme: Double, _ af: Double, to price: Double, when isNew: Bool, step: Double,
                                         maximum: Double) -> (Double, Double)
    {
        var grown = af + step
        if grown > maximum { grown = maximum }
        let chosen = SIMD2(extreme, af).replacing(with: SIMD2(price, grown), where: SIMDMask(repeating: isNew))
        return (chosen[0], chosen[1])
    }

    /// The SAR of a whole series: NaN for the first entry.
    public static func batch(high: [Double], low: [Double], acceleration: Double = 0.02, maximum: Double = 0.2) throws(IndicatorError) -> [Double] {
        RangesSupport.requireSameCount(high.count, low.count)
        let prototype = try ParabolicSAR(acceleration: acceleration, maximum: maximum)
        return try high.withUnsafeBufferPointer { (high) throws(IndicatorError) in
            try low.withUnsafeBufferPointer { (low) throws(IndicatorError) in
                var check = BatchSupport.FiniteCheck()
                let result = BatchSupport.column(high.count) { out in
                    // A local copy the optimizer can keep in registers across the loop.
                    // The bootstrap through `advance`, then `trail` alone (no per-candle test
                    // of the bootstrap's progress), checked by the sum of high - low.
                    var indicator = prototype
                    let head = min(2, high.count)
                    for i in 0..<head {
                        check.add(high[i], low[i])
                        out[i] = indicator.advance(high: high[i], low: low[i]) ?? .nan
                    }
                    var differences = 0.0
                    for i in head ..< high.count {
                        let h = high[i], l = low[i]
                        differences += h - l
                        out[i] = indicator.trail(high: h, low: l)
                    }
                    check.add(sumOfDifferences: differences)
                }
                if check.failed { try BatchSupport.requireFinite(high: high, low: low) }
                return result
            }
        }
    }
}

extension ParabolicSAR: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try candle.validate()
        return advance(high: candle.high, low: candle.low) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
