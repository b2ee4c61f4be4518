/// Average directional movement index (TA-Lib `ADX`).
///
/// DX = `100 * |(-DI) - (+DI)| / ((-DI) + (+DI))` from Wilder's smoothed directional
/// movement (see TA-Lib); the first ADX is the average of the first `period` DX values, each
/// later one `(previous * (period - 1) + DX) / period`. As in TA-Lib 0.8, a candle whose
/// smoothed true range is 0 or whose DI sum is within 1e-14 of zero contributes no DX (the
/// ADX carries over).
/// Lookback `2 * period - 1`.
public struct ADX: Sendable {
    public let period: Int
    var movement: DirectionalMovement
    var sumDX = 0.0
    var seedCount = 0
    /// The latest ADX; NaN during the warm-up.
    public private(set) var value = Double.nan

    /// - Parameter period: 2...100000, as TA-Lib.
    public init(period: Int = 14) throws(IndicatorError) {
        try RangesSupport.period(period, of: "adx", in: 2...100_000)
        self.period = period
        movement = DirectionalMovement(period: period)
    }

    public var lookback: Int { 2 * period - 1 }

    /// Feeds one candle's prices; returns the ADX once `lookback + 1` candles are in, else nil.
    public mutating func update(high: Double, low: Double, close: Double) throws(IndicatorError) -> Double? {
        try RangesSupport.check(high: high, low: low, close: close)
        return step(high: high, low: low, close: close)
    }

    @inline(__always) mutating func step(high: Double, low: Double, close: Double, slots: Void = ()) -> Double? {
        guard movement.step(high: high, low: low, close: close) else { return nil }
        var dx = Double.nan
        let tr = movement.trueRange
        if tr > 0.0 {
            let (minusDI, plusDI) = movement.directionalIndicators()
            let sum = minusDI + plusDI
            if !RangesSupport.isZero(sum) {
                dx = 100.0 * (abs(minusDI - plusDI) / sum)
            }
        }
        if seedCount < period {
            if !dx.isNaN { sumDX += dx }
            seedCount += 1
            guard seedCount == period else { return nil }
            value = sumDX / Double(period)
            return value
        }
        if !dx.isNaN {
            value = (value * Double(period - 1) + dx) / Double(period)
        }
        return value
    }

    /// The ADX of a whole series: NaN for the first `2 * period - 1` entries.
    public static func batch(high: [Double], low: [Double], close: [Double], period: Int = 14) throws(IndicatorError) -> [Double] {
        try batch(ADX(period: period), high: high, low: low, close: close)
    }
}

extension ADX: HighLowCloseIndicator {}

extension ADX: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try candle.validate()
        return step(high: candle.high, low: candle.low, close: candle.close) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
