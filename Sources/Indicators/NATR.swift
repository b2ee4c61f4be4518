/// Normalized average true range (TA-Lib `NATR`): `ATR / close * 100`.
///
/// Lookback `period`. As in TA-Lib, a zero close gives 0, and `period` 1 returns the plain,
/// unnormalized true range.
public struct NATR: Sendable {
    public let period: Int
    var atr: ATR
    /// The latest value; NaN during the warm-up.
    public private(set) var value = Double.nan

    /// - Parameter period: 1...100000, as TA-Lib.
    public init(period: Int = 14) throws(IndicatorError) {
        try RangesSupport.period(period, of: "natr", in: 1...100_000)
        self.period = period
        atr = try ATR(period: period)
    }

    public var lookback: Int { period }

    /// Feeds one candle's prices; returns the NATR once `lookback + 1` candles are in, else nil.
    public mutating func update(high: Double, low: Double, close: Double) throws(IndicatorError) -> Double? {
        try RangesSupport.check(high: high, low: low, close: close)
        return step(high: high, low: low, close: close)
    }

    @inline(__always) mutating func step(high: Double, low: Double, close: Double) -> Double? {
        guard let average = atr.step(high: high, low: low, close: close) else { return nil }
        if period == 1 {
            value = average
        } else {
            value = close == 0.0 ? 0.0 : average / close * 100.0
        }
        return value
    }

    /// The NATR of a whole series: NaN for the first `period` entries.
    public static func batch(high: [Double], low: [Double], close: [Double], period: Int = 14) throws(IndicatorError) -> [Double] {
        let prototype = try NATR(period: period)
        return try BatchSupport.highLowClose(high, low, close) { high, low, close, out in
            // The same ATR loop, each block then normalized as `step` does, in a loop of its own
            // that divides four entries per instruction.
            guard period != 1 else { return prototype.atr.fill(high, low, close, out) { _, range in range } }
            return prototype.atr.fill(high, low, close, out, { _, average in average }) { block in
                for i in block {
                    let c = close[i]
                    out[i] = c == 0.0 ? 0.0 : out[i] / c * 100.0
                }
            }
        }
    }
}

extension NATR: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try candle.validate()
        return step(high: candle.high, low: candle.low, close: candle.close) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
