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
            let weightedDeparting = n * departing
            sumXY = sumXY + sumY - weightedDeparting
            sumY = sumY - departing + x
            sumAbs = sumAbs - abs(departing) + abs(x)
            untilReseed -= 1
            if untilReseed <= 0 || abs(weightedDeparting) > 100.0 * sumAbs {
                untilReseed = 32 * period
                sumY = 0
                sumXY = 0
                sumAbs = 0
                var weight = Double(period - 1)
                for age in stride(from: period - 1, through: 0, by: -1) {
                    let v = window[age: age]
                    sumY += v
                    sumXY += weight * v
                    sumAbs += abs(v)
                    weight -= 1.0
                }
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

    /// LINEARREG_SLOPE of a whole series: NaN for the first `period - 1` entries.
    public static func batch(_ input: [Double], period: Int = 14) throws(IndicatorError) -> [Double] {
        let prototype = try LINEARREG_SLOPE(period: period)
        var out = [Double](repeating: .nan, count: input.count)
        try input.withUnsafeBufferPointer { (input) throws(IndicatorError) in
            try out.withUnsafeMutableBufferPointer { (out) throws(IndicatorError) in
                // A local copy the optimizer can keep in registers across the loop.
                var slope = prototype
                for i in input.indices {
                    if let v = try slope.update(input[i]) { out[i] = v }
                }
            }
        }
        return out
    }
}

extension LINEARREG_SLOPE: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try update(candle.close) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
