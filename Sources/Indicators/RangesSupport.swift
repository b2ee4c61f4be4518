/// Small pieces shared by the range, volatility and volume indicators.
enum RangesSupport {
    /// TA-Lib's `TA_EPSILON`: the half-width of the band `TA_IS_ZERO` treats as zero.
    static let epsilon = 0.00000000000001

    /// TA-Lib's `TA_IS_ZERO`: strictly inside (-epsilon, epsilon).
    @inline(__always) static func isZero(_ v: Double) -> Bool { -epsilon < v && v < epsilon }

    /// TA-Lib's `TA_IS_ZERO_SCALED`: `|v| <= epsilon * scale`, for differences of
    /// magnitudes around `scale`.
    @inline(__always) static func isZero(_ v: Double, scale: Double) -> Bool { abs(v) <= epsilon * scale }

    /// True range with TA-Lib's comparison order: high - low, then the distances from the
    /// previous close to the high and to the low, each replacing the greatest when larger.
    @inline(__always) static func trueRange(high: Double, low: Double, previousClose: Double) -> Double {
        trueRange(highLow: high - low, closeHigh: previousClose - high, closeLow: previousClose - low)
    }

    /// `trueRange` from its three differences: high - low, previous close - high and
    /// previous close - low (for batch loops that also use the differences themselves).
    @inline(__always) static func trueRange(highLow: Double, closeHigh: Double, closeLow: Double) -> Double {
        var greatest = highLow
        let toHigh = abs(closeHigh)
        if toHigh > greatest { greatest = toHigh }
        let toLow = abs(closeLow)
        if toLow > greatest { greatest = toLow }
        return greatest
    }

    @inline(__always) static func check(high: Double, low: Double) throws(IndicatorError) {
        // One branch on the hot path: x - x is +0 for every finite x and NaN otherwise.
        if (high - high) + (low - low) != 0 { try reportNonFinite(high: high, low: low) }
    }

    @inline(__always) static func check(high: Double, low: Double, close: Double) throws(IndicatorError) {
        if (high - high) + (low - low) + (close - close) != 0 { try reportNonFinite(high: high, low: low, close: close) }
    }

    @inline(__always) static func check(high: Double, low: Double, close: Double, volume: Double) throws(IndicatorError) {
        if (high - high) + (low - low) + (close - close) + (volume - volume) != 0 {
            try reportNonFinite(high: high, low: low, close: close, volume: volume)
        }
    }

    /// Names the first non-finite input (the cold path of the checks above).
    @inline(never)
    static func reportNonFinite(high: Double, low: Double, close: Double = 0, volume: Double = 0) throws(IndicatorError) {
        if !high.isFinite { throw .nonFiniteInput(field: "high", value: high) }
        if !low.isFinite { throw .nonFiniteInput(field: "low", value: low) }
        if !close.isFinite { throw .nonFiniteInput(field: "close", value: close) }
        if !volume.isFinite { throw .nonFiniteInput(field: "volume", value: volume) }
    }

    static func period(_ value: Int, of indicator: String, name: String = "period", in range: ClosedRange<Int>) throws(IndicatorError) {
        guard range.contains(value) else {
            throw .invalidParameter(indicator: indicator, parameter: name, value: value,
                                    reason: "must be \(range.lowerBound)...\(range.upperBound)")
        }
    }

    /// A whole-number catalog parameter as an `Int`; values beyond `Int`'s range saturate
    /// (and then fail the indicator's own range check) instead of trapping.
    static func integer(_ x: Double) -> Int {
        Int(exactly: x.rounded()) ?? (x < 0 ? Int.min : Int.max)
    }

    static func requireSameCount(_ counts: Int...) {
        precondition(counts.allSatisfy { $0 == counts[0] }, "input arrays must have the same length")
    }

    /// A running sum with Neumaier's compensation: `total` carries the rounding error that
    /// plain summation would lose, so adding and later subtracting the same values does not
    /// drift.
    struct CompensatedSum: Sendable {
        var sum = 0.0
        var compensation = 0.0

        mutating func add(_ x: Double) {
            let t = sum + x
            if abs(sum) >= abs(x) {
                compensation += (sum - t) + x
            } else {
                compensation += (x - t) + sum
            }
            sum = t
        }

        mutating func reset() {
            sum = 0
            compensation = 0
        }

        var total: Double { sum + compensation }
    }
}
