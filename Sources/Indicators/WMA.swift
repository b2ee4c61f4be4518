/// Linearly weighted moving average: weights 1, 2, ..., `period` from oldest to newest,
/// divided by `period (period + 1) / 2` (TA-Lib `WMA`).
///
/// Lookback `period - 1`. Runs TA-Lib 0.8's O(1) recurrence bit for bit: a weighted sum and
/// a plain sum of the window slide by one add and one subtract each, and both are rebuilt
/// from the window (oldest first, weights counting up) every `8 × period` values, as TA-Lib
/// re-anchors them. That rebuild is O(period) once per `8 × period` updates, so O(1)
/// amortised. A period of 1 copies the input.
public struct WMA: Sendable {
    public let period: Int
    let divider: Double
    var window: RingBuffer
    /// Sum of weight × value over the window.
    var weightedSum = 0.0
    /// Plain sum over the window.
    var plainSum = 0.0
    /// The value that left the window on the previous update (TA-Lib's `trailingValue`).
    var trailing = 0.0
    var untilReseed: Int
    /// The latest average; NaN during the warm-up.
    public private(set) var value = Double.nan

    /// - Parameter period: 1...100000, as TA-Lib (1 passes the input through).
    public init(period: Int = 20) throws(IndicatorError) {
        guard (1...100_000).contains(period) else {
            throw .invalidParameter(indicator: "wma", parameter: "period", value: period, reason: "must be 1...100000")
        }
        self.period = period
        divider = Double(period) * Double(period + 1) / 2.0
        window = RingBuffer(capacity: period)
        untilReseed = 8 * period
    }

    public var lookback: Int { period - 1 }

    /// Feeds one value; returns the average once `period` values are in, else nil.
    public mutating func update(_ x: Double) throws(IndicatorError) -> Double? {
        guard x.isFinite else { throw .nonFiniteInput(field: "value", value: x) }
        if period == 1 {
            value = x
            return x
        }
        window.push(x)
        if !window.isFull {
            // Priming: the i-th value (from 1) carries weight i.
            plainSum += x
            weightedSum += x * Double(window.count)
            return nil
        }
        plainSum += x
        plainSum -= trailing
        weightedSum += x * Double(period)
        untilReseed -= 1
        if untilReseed <= 0 {
            untilReseed = 8 * period
            let window = self.window, period = self.period
            (plainSum, weightedSum) = Self.sums(period) { window[age: period - 1 - $0] }
        }
        trailing = window[age: period - 1]
        value = weightedSum / divider
        weightedSum -= plainSum
        return value
    }

    /// The plain and weighted sums rebuilt from a window, oldest first (`oldest(j)` is the
    /// j-th value from the oldest), weights counting up from 1.
    @inline(never)
    static func sums(_ period: Int, _ oldest: (Int) -> Double) -> (plain: Double, weighted: Double) {
        var plain = 0.0, weighted = 0.0
        for j in 0..<period {
            let v = oldest(j)
            plain += v
            weighted += v * Double(j + 1)
        }
        return (plain, weighted)
    }

    /// The WMA of a whole series: NaN for the first `period - 1` entries. The same
    /// recurrence as `update`, with the window read from the input.
    public static func batch(_ input: [Double], period: Int = 20) throws(IndicatorError) -> [Double] {
        var wma = try WMA(period: period)
        return try input.withUnsafeBufferPointer { (x) throws(IndicatorError) in
            var check = BatchSupport.FiniteCheck()
            let result = BatchSupport.column(x.count) { out in
                if period == 1 {
                    for i in 0..<x.count {
                        check.add(x[i])
                        out[i] = x[i]
                    }
                    return
                }
                let start = BatchSupport.warmUp(out, period - 1)
                for i in 0..<min(start + 1, x.count) { check.add(x[i]) }
                guard start < x.count else { return }
                // The warm-up through `update` itself (which gives nil for a non-finite input, rejected after the loop), up to the
                // first value; then its recurrence on locals.
                for i in 0...start { out[i] = (try? wma.update(x[i])) ?? .nan }
                var plainSum = wma.plainSum, weightedSum = wma.weightedSum
                var trailing = wma.trailing, untilReseed = wma.untilReseed
                let divider = wma.divider, weight = Double(period)
                // The plain sum is the loop's finiteness check: every value goes into it, and a
                // non-finite one leaves it NaN or infinite until a rebuild (an infinity
                // leaving gives inf - inf), so it is checked before each rebuild and after.
                for i in start + 1 ..< x.count {
                    let xi = x[i]
                    plainSum += xi
                    plainSum -= trailing
                    weightedSum += xi * weight
                    untilReseed -= 1
                    let oldest = i - (period - 1)
                    if untilReseed <= 0 {
                        check.add(plainSum)
                        untilReseed = 8 * period
                        (plainSum, weightedSum) = sums(period) { x[oldest + $0] }
                    }
                    trailing = x[oldest]
                    out[i] = weightedSum / divider
                    weightedSum -= plainSum
                }
                check.add(plainSum)
            }
            if check.failed { try BatchSupport.requireFinite(x) }
            return result
        }
    }
}

extension WMA: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try update(candle.close) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
