/// Wilder's directional movement, the state shared by `ADX`, `PlusDI` and `MinusDI`.
///
/// For each candle after the first: +DM1 = high - previous high when that is positive and
/// larger than previous low - low (else 0), -DM1 symmetrically, TR1 the true range. The
/// first `period - 1` of each are summed; from candle `period` on each sum is smoothed as
/// `sum - sum / period + today`, exactly in TA-Lib's order.
struct DirectionalMovement: Sendable {
    let period: Int
    /// Candles consumed.
    var count = 0
    var previousHigh = 0.0
    var previousLow = 0.0
    var previousClose = 0.0
    /// Smoothed (during the warm-up: summed) +DM, -DM and true range.
    var plusDM = 0.0
    var minusDM = 0.0
    var trueRange = 0.0
    /// The one-period +DM, -DM and true range of the latest candle.
    var plusDM1 = 0.0
    var minusDM1 = 0.0
    var trueRange1 = 0.0

    init(period: Int) {
        self.period = period
    }

    /// Consumes one candle; true once the smoothed values are available (from candle
    /// index `period` on).
    @inline(__always) mutating func step(high: Double, low: Double, close: Double) -> Bool {
        defer {
            previousHigh = high
            previousLow = low
            previousClose = close
            count += 1
        }
        guard count > 0 else { return false }
        let diffP = high - previousHigh
        let diffM = previousLow - low
        let plus = diffP > 0 && diffP > diffM ? diffP : 0.0
        let minus = diffM > 0 && diffP < diffM ? diffM : 0.0
        plusDM1 = plus
        minusDM1 = minus
        trueRange1 = RangesSupport.trueRange(high: high, low: low, previousClose: previousClose)
        // TA-Lib adds only the non-zero leg; adding the other leg's 0.0 is exact (the sums are
        // never -0.0), and branch-free.
        if count < period {
            minusDM += minus
            plusDM += plus
            trueRange += trueRange1
            return false
        }
        // The three divisions by the period in one vector division: each lane is the same
        // correctly rounded quotient as a scalar division, for a third of the divider's time.
        let q = SIMD4(minusDM, plusDM, trueRange, 0) / SIMD4(repeating: Double(period))
        minusDM -= q[0]
        plusDM -= q[1]
        minusDM += minus
        plusDM += plus
        trueRange = trueRange - q[2] + trueRange1
        return true
    }

    /// `100 * (-DM / TR)` and `100 * (+DM / TR)`, for TR > 0: two divisions in one.
    @inline(__always)
    func directionalIndicators() -> (minus: Double, plus: Double) {
        let q = SIMD2(minusDM, plusDM) / SIMD2(repeating: trueRange)
        return (100.0 * q[0], 100.0 * q[1])
    }

    /// +DI: `100 * (+DM / TR)`, 0 when TR is 0 (TA-Lib 0.8 tests the true-range sum exactly).
    var plusDI: Double { trueRange > 0.0 ? 100.0 * (plusDM / trueRange) : 0.0 }

    /// -DI: `100 * (-DM / TR)`, 0 when TR is 0.
    var minusDI: Double { trueRange > 0.0 ? 100.0 * (minusDM / trueRange) : 0.0 }
}
