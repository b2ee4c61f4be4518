/// Double exponential moving average, `2·EMA(x) − EMA(EMA(x))` (TA-Lib `DEMA`).
///
/// Lookback `2 × (period − 1)`. As in TA-Lib, each EMA is seeded with the simple average of
/// its own first `period` inputs: the inner EMA is fed only from its first value on, so
/// both seeds and every step are bit-identical to TA-Lib 0.8. A period of 1 copies the input.
public struct DEMA: Sendable {
    public let period: Int
    var ema1: EMA
    var ema2: EMA
    /// The latest value; NaN during the warm-up.
    public private(set) var value = Double.nan

    /// - Parameter period: 1...100000, as TA-Lib (1 passes the input through).
    public init(period: Int = 20) throws(IndicatorError) {
        guard (1...100_000).contains(period) else {
            throw .invalidParameter(indicator: "dema", parameter: "period", value: period, reason: "must be 1...100000")
        }
        self.period = period
        ema1 = try EMA(period: period)
        ema2 = try EMA(period: period)
    }

    public var lookback: Int { 2 * (period - 1) }

    /// Feeds one value; returns the DEMA once `lookback + 1` values are in, else nil.
    public mutating func update(_ x: Double) throws(IndicatorError) -> Double? {
        guard x.isFinite else { throw .nonFiniteInput(field: "value", value: x) }
        guard let e1 = ema1.step(x), let e2 = ema2.step(e1) else { return nil }
        // TA-Lib copies the input at period 1 (2x - x would turn -0.0 into +0.0).
        value = period == 1 ? x : (2.0 * e1) - e2
        return value
    }

    /// The DEMA of a whole series: NaN for the first `2 × (period − 1)` entries.
    public static func batch(_ input: [Double], period: Int = 20) throws(IndicatorError) -> [Double] {
        let prototype = try DEMA(period: period)
        var out = [Double](repeating: .nan, count: input.count)
        try input.withUnsafeBufferPointer { (input) throws(IndicatorError) in
            try out.withUnsafeMutableBufferPointer { (out) throws(IndicatorError) in
                // A local copy the optimizer can keep in registers across the loop.
                var dema = prototype
                for i in input.indices {
                    if let v = try dema.update(input[i]) { out[i] = v }
                }
            }
        }
        return out
    }
}

extension DEMA: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try update(candle.close) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
