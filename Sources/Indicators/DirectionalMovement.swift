/// Wilder's directional movement, the state shared by `ADX`, `PlusDI` and `MinusDI`.
///
/// For each candle after the first: +DM1 = high - previous high when that is positive and
/// larger than previous low - low (else 0), -DM1 symmetrically, TR1 the true range. The
/// first `period - 1` of each are summed; from candle `period` on each sum is smoothed as
/// `sum - sum / period + today`, exactly in TA-Lib's order.
///
/// -DM and +DM are the two lanes of one vector, each lane's operations those of the scalar
/// formula: so both legs take the same instructions and the choice of each is a mask, not a
/// branch. (As scalar choices, some specializations came out as branches, which mispredict
/// on a real, non-repeating series: `minus_di` took twice `plus_di`'s time on a random walk.)
struct DirectionalMovement: Sendable {
    let period: Int
    /// Candles consumed.
    var count = 0
    var previousHigh = 0.0
    var previousLow = 0.0
    var previousClose = 0.0
    /// Smoothed (during the warm-up: summed) -DM and +DM, in that order.
    var movement = SIMD2<Double>()
    /// Smoothed (during the warm-up: summed) true range.
    var trueRange = 0.0
    /// The one-period -DM and +DM of the latest candle.
    var movement1 = SIMD2<Double>()
    /// The one-period true range of the latest candle.
    var trueRange1 = 0.0

    init(period: Int) {
        self.period = period
    }

    var minusDM1: Double { movement1[0] }
    var plusDM1: Double { movement1[1] }

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
        movement1 = Self.movements(down: previousLow - low, up: high - previousHigh)
        trueRange1 = RangesSupport.trueRange(high: high, low: low, previousClose: previousClose)
        // TA-Lib adds only the non-zero leg; adding the other leg's 0.0 is exact (the sums are
        // never -0.0), and branch-free.
        if count < period {
            movement += movement1
            trueRange += trueRange1
            return false
        }
        // The three divisions by the period in one vector division: each lane is the same
        // correctly rounded quotient as a scalar division, for a third of the divider's time.
        let q = SIMD4(movement[0], movement[1], trueRange, 0) / SIMD4(repeating: Double(period))
        movement = (movement - q.lowHalf) + movement1
        trueRange = trueRange - q[2] + trueRange1
        return true
    }

    /// Wilder's one-period movements `(-DM1, +DM1)` from `down` = previous low - low and
    /// `up` = high - previous high: `down` when `down > 0 && down > up`, `up` when `up > 0 &&
    /// up > down`, each 0.0 otherwise; that is, each leg when it exceeds the other one's
    /// maximum with 0 (the differences of finite prices are never NaN).
    @inline(__always) static func movements(down: Double, up: Double) -> SIMD2<Double> {
        let legs = SIMD2(down, up), other = SIMD2(up, down)
        return legs.replacing(with: 0.0, where: .!(legs .> other.replacing(with: 0.0, where: other .< 0.0)))
    }

    /// `100 * (-DM / TR)` and `100 * (+DM / TR)`, for TR > 0: two divisions in one.
    @inline(__always)
    func directionalIndicators() -> (minus: Double, plus: Double) {
        let q = movement / SIMD2(repeating: trueRange)
        return (100.0 * q[0], 100.0 * q[1])
    }

    /// +DI: `100 * (+DM / TR)`, 0 when TR is 0 (TA-Lib 0.8 tests the true-range sum exactly).
    var plusDI: Double { trueRange > 0.0 ? 100.0 * (movement[1] / trueRange) : 0.0 }

    /// -DI: `100 * (-DM / TR)`, 0 when TR is 0.
    var minusDI: Double { trueRange > 0.0 ? 100.0 * (movement[0] / trueRange) : 0.0 }
}
