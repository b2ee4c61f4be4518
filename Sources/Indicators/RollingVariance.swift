/// Population variance of the last `period` values, computed as TA-Lib 0.8's `VAR` does
/// (shared by ``STDDEV`` and ``BBANDS``).
///
/// TA-Lib 0.8 keeps running sums of deviations from a *shift* (first the very first value,
/// later the window mean) rather than of raw values, so the variance never subtracts two
/// mean-squared quantities; that is what keeps tiny quotes (~1e-5 BTC pairs) exact. When the
/// shift goes stale (the variance falls below 1e-6 of the mean squared deviation), when an
/// outlier leaves the window (its squared deviation exceeds 1e6 times the remaining sum),
/// or at least every `32 × period` values, the shift moves to the window mean and both sums
/// are rebuilt from the window in two passes; a rebuilt variance under 1e-12 of its mean
/// squared deviation is clamped to 0. The rebuild is O(period); on ordinary prices it runs
/// once per `32 × period` updates.
struct RollingVariance: Sendable {
    let period: Int
    let inversePeriod: Double
    var window: RingBuffer
    var shift = 0.0
    /// Sum of (x − shift) over the window, minus the oldest value (TA-Lib removes it ahead).
    var total1 = 0.0
    /// Sum of (x − shift)² likewise.
    var total2 = 0.0
    var untilReseed: Int

    /// `period` must be at least 1; callers validate their own ranges.
    init(period: Int) {
        self.period = period
        inversePeriod = 1.0 / Double(period)
        window = RingBuffer(capacity: period)
        untilReseed = 32 * period
    }

    /// Pushes a finite value; returns the variance once `period` values are in.
    @inline(__always) mutating func push(_ x: Double) -> Double? {
        if window.count == 0 { shift = x }
        window.push(x)
        var d = x - shift
        total1 += d
        d *= d
        total2 += d
        guard window.isFull else { return nil }

        var mean = total1 * inversePeriod
        var variance = total2 * inversePeriod - mean * mean
        // Remove the oldest value now, ready for the next update.
        let oldest = window[age: period - 1]
        d = oldest - shift
        total1 -= d
        d *= d
        total2 -= d
        untilReseed -= 1
        if variance < 0.000001 * (total2 * inversePeriod) || d > 1000000.0 * total2 || untilReseed <= 0 {
            untilReseed = 32 * period
            var sum = 0.0
            for age in stride(from: period - 1, through: 0, by: -1) { sum += window[age: age] }
            shift = sum * inversePeriod
            total1 = 0
            total2 = 0
            for age in stride(from: period - 1, through: 0, by: -1) {
                var e = window[age: age] - shift
                total1 += e
                e *= e
                total2 += e
            }
            mean = total1 * inversePeriod
            variance = total2 * inversePeriod - mean * mean
            if variance < 0.000000000001 * (total2 * inversePeriod) { variance = 0.0 }
            d = oldest - shift
            total1 -= d
            d *= d
            total2 -= d
        }
        return variance
    }
}
