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
        add(x)
        guard window.isFull else { return nil }
        let oldest = window[age: period - 1]
        if let v = variance(removing: oldest) { return v }
        let window = self.window, period = self.period
        return reseed(oldest: oldest) { window[age: period - 1 - $0] }
    }

    /// Adds the newest value to the sums (the first value of a series also sets `shift`).
    @inline(__always) mutating func add(_ x: Double) {
        let d = x - shift
        total1 += d
        total2 += d * d
    }

    /// After `add` of the newest value of a full window: the window's variance; then removes
    /// `oldest`, the window's oldest value, ready for the next value. Nil when the sums must
    /// be rebuilt instead: the caller then returns `reseed(oldest:window:)`.
    @inline(__always) mutating func variance(removing oldest: Double) -> Double? {
        let mean = total1 * inversePeriod
        let variance = total2 * inversePeriod - mean * mean
        let d = oldest - shift
        total1 -= d
        let d2 = d * d
        total2 -= d2
        untilReseed -= 1
        if variance < 0.000001 * (total2 * inversePeriod) || d2 > 1000000.0 * total2 || untilReseed <= 0 {
            return nil
        }
        return variance
    }

    /// Moves the shift to the window mean and rebuilds both sums from the window in two
    /// passes; returns the window's variance (the sums again without `oldest`). `window(j)`
    /// is the window's j-th value from the oldest.
    @inline(__always) mutating func reseed(oldest: Double, window: (Int) -> Double) -> Double {
        untilReseed = 32 * period
        let variance: Double
        (variance, shift, total1, total2) = Self.rebuilt(period: period, inversePeriod: inversePeriod, oldest: oldest, window: window)
        return variance
    }

    /// `reseed` in a batch loop, whose finiteness check is `total2`: every value's squared
    /// deviation goes into it, and a non-finite one leaves it non-finite (NaN or infinite)
    /// until a rebuild, so it is checked before each rebuild and after the loop. (A huge
    /// finite deviation may overflow it: the check then fails, and the caller's search finds
    /// no bad value and keeps the output.)
    @inline(__always) mutating func reseed(oldest: Double, check: inout BatchSupport.FiniteCheck, window: (Int) -> Double) -> Double {
        check.add(total2)
        return reseed(oldest: oldest, window: window)
    }

    /// The rebuild of `reseed`: the variance, the new shift and both sums. Out of line (it is
    /// rare) and returning its results rather than writing them through `self`, so a batch
    /// loop's copy of the state can stay in registers.
    @inline(never)
    static func rebuilt(period: Int, inversePeriod: Double, oldest: Double, window: (Int) -> Double)
        -> (variance: Double, shift: Double, total1: Double, total2: Double)
    {
        var sum = 0.0
        for j in 0..<period { sum += window(j) }
        let shift = sum * inversePeriod
        var total1 = 0.0
        var total2 = 0.0
        for j in 0..<period {
            var e = window(j) - shift
            total1 += e
            e *= e
            total2 += e
        }
        let mean = total1 * inversePeriod
        var variance = total2 * inversePeriod - mean * mean
        if variance < 0.000000000001 * (total2 * inversePeriod) { variance = 0.0 }
        var d = oldest - shift
        total1 -= d
        d *= d
        total2 -= d
        return (variance, shift, total1, total2)
    }
}
