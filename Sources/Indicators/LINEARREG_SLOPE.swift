/// Slope of the least-squares line through the last `period` values, in price per bar
/// (TA-Lib `LINEARREG_SLOPE`).
///
/// Lookback `period - 1`. Runs TA-Lib 0.8's O(1) sliding sums bit for bit: with `i` the
/// age of a value (0 = newest), `ΣY` and `Σ i·Y` slide by a few adds per update, and the
/// slope is `(n·Σ i·Y − ΣX·ΣY) / (ΣX² − n·ΣX²ᵢ)`. As TA-Lib, both sums are rebuilt from
/// the window every `32 × period` values and whenever the departing value's weight
/// (`period × value`) exceeds 100 times the window's sum of magnitudes; the rebuild is
/// O(period), so O(1) amortised on ordinary prices.
public struct LINEARREG_SLOPE: Sendable {
    public let period: Int
    let n: Double
    let sumX: Double
    let divisor: Double
    var window: RingBuffer
    var sumY = 0.0
    var sumXY = 0.0
    /// Sum of |value| over the window (the outlier trigger's scale).
    var sumAbs = 0.0
    var untilReseed: Int
    /// The latest slope; NaN during the warm-up.
    public private(set) var value = Double.nan

    /// - Parameter period: 2...100000, as TA-Lib.
    public init(period: Int = 14) throws(IndicatorError) {
        guard (2...100_000).contains(period) else {
            throw .invalidParameter(indicator: "linearreg_slope", parameter: "period", value: period, reason: "must be 2...100000")
        }
        self.period = period
        n = Double(period)
        sumX = Double(period) * Double(period - 1) * 0.5
        let sumXSquared = Double(period) * Double(period - 1) * Double(2 * period - 1) / 6.0
        divisor = sumX * sumX - Double(period) * sumXSquared
        window = RingBuffer(capacity: period)
        untilReseed = 32 * period
    }

    public var lookback: Int { period - 1 }

    /// Feeds one value; returns the slope once `period` values are in, else nil.
    public mutating func update(_ x: Double) throws(IndicatorError) -> Double? {
        guard x.isFinite else { throw .nonFiniteInput(field: "value", value: x) }
        if let departing = window.push(x) {
            if !slide(x, departing: departing) {
                let window = self.window, period = self.period
                rebuild { window[age: period - 1 - $0] }
            }
        } else {
            // Priming, oldest first: the j-th value (from 0) will be period - 1 - j bars old.
            sumY += x
            sumXY += Double(period - window.count) * x
            sumAbs += abs(x)
            guard window.isFull else { return nil }
        }
        value = (n * sumXY - sumX * sumY) / divisor
        return value
    }

    /// Slides the sums by one value; false when they must be rebuilt from the window instead
    /// (see `rebuild`).
    @inline(__always) mutating func slide(_ x: Double, departing: Double) -> Bool {
        let weightedDeparting = n * departing
        sumXY = sumXY + sumY - weightedDeparting
        sumY = sumY - departing + x
        sumAbs = sumAbs - abs(departing) + abs(x)
        untilReseed &-= 1
        return !(untilReseed <= 0 || abs(weightedDeparting) > 100.0 * sumAbs)
    }

    /// Rebuilds the sums from the window: `window(j)` is its j-th value from the oldest.
    @inline(__always) mutating func rebuild(_ window: (Int) -> Double) {
        untilReseed = 32 * period
        (sumY, sumXY, sumAbs) = Self.sums(period: period, window)
    }

    /// ΣY, Σ i·Y and Σ|Y| of a window, summed from the oldest value. Out of line (it is rare)
    /// and returning the sums rather than writing them through `self`, so a caller's state
    /// can stay in registers across its loop.
    @inline(never) static func sums(period: Int, _ window: (Int) -> Double) -> (sumY: Double, sumXY: Double, sumAbs: Double) {
        var sumY = 0.0, sumXY = 0.0, sumAbs = 0.0
        var weight = Double(period - 1)
        for j in 0..<period {
            let v = window(j)
            sumY += v
            sumXY += weight * v
            sumAbs += abs(v)
            weight -= 1.0
        }
        return (sumY, sumXY, sumAbs)
    }

    /// LINEARREG_SLOPE of a whole series: NaN for the first `period - 1` entries. The same
    /// sums as `update`, with the window read from the input. The finiteness check is the sum
    /// of magnitudes itself (no instructions of its own in the loop): it takes in
    /// `abs(x)` of every value, and a non-finite term leaves it non-finite until a rebuild,
    /// before which (and at the end) it is checked.
    public static func batch(_ input: [Double], period: Int = 14) throws(IndicatorError) -> [Double] {
        var slope = try LINEARREG_SLOPE(period: period)
        return try input.withUnsafeBufferPointer { (x) throws(IndicatorError) in
            var check = BatchSupport.FiniteCheck()
            let result = BatchSupport.column(x.count) { out in
                let start = BatchSupport.warmUp(out, period - 1)
                for i in 0..<min(start + 1, x.count) { check.add(x[i]) }
                guard start < x.count else { return }
                // The warm-up through `update` itself (which gives nil for a non-finite input, rejected after the loop), up to the
                // first value; then the sums on a local copy, without the ring buffer.
                for i in 0...start { out[i] = (try? slope.update(x[i])) ?? .nan }
                var s = slope
                let n = s.n, sumX = s.sumX, divisor = s.divisor
                let input = x.baseAddress!, output = out.baseAddress!
                for i in start + 1 ..< x.count {
                    let oldest = i &- (period &- 1)
                    if !s.slide(input[i], departing: input[oldest &- 1]) {
                        check.add(s.sumAbs)
                        s.rebuild { input[oldest &+ $0] }
                    }
                    output[i] = (n * s.sumXY - sumX * s.sumY) / divisor
                }
                check.add(s.sumAbs)
            }
            if check.failed { try BatchSupport.requireFinite(x) }
            return result
        }
    }
}

extension LINEARREG_SLOPE: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try update(candle.close) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
