/// Exponential moving average (TA-Lib `EMA`, default compatibility).
///
/// Seeded with the simple average of the first `period` values, then
/// `ema += (x - ema) * k` with `k = 2 / (period + 1)`. Lookback `period - 1`.
///
/// Matches TA-Lib 0.8 bit for bit: the seed is summed from 0.0 in input order and divided
/// by the period, and each step is one fused multiply-add, `fma(x - ema, k, ema)`, as
/// TA-Lib's explicit-FMA build computes it. A period of 1 copies the input.
public struct EMA: Sendable {
    public let period: Int
    /// The smoothing factor `2 / (period + 1)`.
    public let k: Double
    /// Values seen while seeding (stops counting at `period`).
    var seen = 0
    var seedSum = 0.0
    /// The latest average; NaN during the warm-up.
    public private(set) var value = Double.nan

    /// - Parameter period: 1...100000, as TA-Lib (1 passes the input through).
    public init(period: Int = 20) throws(IndicatorError) {
        guard (1...100_000).contains(period) else {
            throw .invalidParameter(indicator: "ema", parameter: "period", value: period, reason: "must be 1...100000")
        }
        self.period = period
        k = 2.0 / Double(period + 1)
    }

    public var lookback: Int { period - 1 }

    /// Feeds one value; returns the average once `period` values are in, else nil.
    public mutating func update(_ x: Double) throws(IndicatorError) -> Double? {
        guard x.isFinite else { throw .nonFiniteInput(field: "value", value: x) }
        return step(x)
    }

    /// The recursion for a value already known to be finite (DEMA, TEMA, MACD and Keltner
    /// chain through this).
    @inline(__always) mutating func step(_ x: Double) -> Double? {
        if period == 1 {
            seen = 1
            value = x
            return x
        }
        if seen == period {
            value = value.addingProduct(x - value, k)
            return value
        }
        seedSum += x
        seen += 1
        guard seen == period else { return nil }
        value = seedSum / Double(period)
        return value
    }

    /// The EMA of a whole series: NaN for the first `period - 1` entries.
    public static func batch(_ input: [Double], period: Int = 20) throws(IndicatorError) -> [Double] {
        let ema = try EMA(period: period)
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
                // The seed as `step` computes it: summed from 0.0 in input order, divided.
                var sum = 0.0
                for i in 0...start { sum += x[i] }
                var value = sum / Double(period)
                out[start] = value
                // The average is the loop's finiteness check: a non-finite value leaves it NaN
                // or infinite for good (0 < k < 1: an infinity meets its opposite, giving NaN).
                for i in start + 1 ..< x.count {
                    value = value.addingProduct(x[i] - value, ema.k)
                    out[i] = value
                }
                check.add(value)
            }
            if check.failed { try BatchSupport.requireFinite(x) }
            return result
        }
    }
}

extension EMA: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try update(candle.close) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
