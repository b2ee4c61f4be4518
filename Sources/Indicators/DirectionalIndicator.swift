/// Which directional movement a ``DirectionalIndicator`` follows: up (`+DI`) or down (`-DI`).
public protocol DirectionalSide: Sendable {
    /// The catalog name: `plus_di` or `minus_di`.
    static var name: String { get }
    /// True for the up side (`+DM`), false for the down side (`-DM`).
    static var isPlus: Bool { get }
}

/// The `+DI` side.
public enum PlusSide: DirectionalSide {
    public static var name: String { "plus_di" }
    public static var isPlus: Bool { true }
}

/// The `-DI` side.
public enum MinusSide: DirectionalSide {
    public static var name: String { "minus_di" }
    public static var isPlus: Bool { false }
}

/// Plus directional indicator (TA-Lib `PLUS_DI`): `100 * (+DM / TR)` from Wilder's smoothed
/// directional movement, 0 when the smoothed true range is 0.
public typealias PlusDI = DirectionalIndicator<PlusSide>

/// Minus directional indicator (TA-Lib `MINUS_DI`): `100 * (-DM / TR)` from Wilder's smoothed
/// directional movement, 0 when the smoothed true range is 0.
public typealias MinusDI = DirectionalIndicator<MinusSide>

/// A directional indicator (`PlusDI` or `MinusDI`): `100 * (DM / TR)` of one side of Wilder's
/// smoothed directional movement, 0 when the smoothed true range is 0.
///
/// Lookback `period`. As in TA-Lib, `period` 1 is the unsmoothed ratio DM1 / TR1, without
/// the factor 100 (lookback 1).
public struct DirectionalIndicator<Side: DirectionalSide>: Sendable {
    public let period: Int
    var movement: DirectionalMovement
    /// The latest value; NaN during the warm-up.
    public private(set) var value = Double.nan

    /// - Parameter period: 1...100000, as TA-Lib.
    public init(period: Int = 14) throws(IndicatorError) {
        try RangesSupport.period(period, of: Side.name, in: 1...100_000)
        self.period = period
        movement = DirectionalMovement(period: period)
    }

    public var lookback: Int { period }

    /// Feeds one candle's prices; returns the indicator once `lookback + 1` candles are in, else nil.
    public mutating func update(high: Double, low: Double, close: Double) throws(IndicatorError) -> Double? {
        try RangesSupport.check(high: high, low: low, close: close)
        return step(high: high, low: low, close: close)
    }

    @inline(__always) mutating func step(high: Double, low: Double, close: Double) -> Double? {
        guard movement.step(high: high, low: low, close: close) else { return nil }
        if period == 1 {
            let dm = Side.isPlus ? movement.plusDM1 : movement.minusDM1
            let tr = movement.trueRange1
            value = dm == 0.0 || !(tr > 0.0) ? 0.0 : dm / tr
        } else {
            value = Side.isPlus ? movement.plusDI : movement.minusDI
        }
        return value
    }

    /// The indicator over a whole series: NaN for the first `period` entries.
    public static func batch(high: [Double], low: [Double], close: [Double], period: Int = 14) throws(IndicatorError) -> [Double] {
        var indicator = try Self(period: period)
        return try BatchSupport.highLowClose(high, low, close) { high, low, close, out in
            var check = BatchSupport.FiniteCheck()
            let start = BatchSupport.warmUp(out, period)
            for i in 0..<start { check.add(high[i], low[i], close[i]) }
            guard start < close.count else { return check }
            // The warm-up through `step` itself, up to the first value; then the smoothing on
            // a local copy of the movement.
            for i in 0...start { out[i] = indicator.step(high: high[i], low: low[i], close: close[i]) ?? .nan }
            check.add(high[start], low[start], close[start])
            var m = indicator.movement
            for i in start + 1 ..< close.count {
                check.add(high[i], low[i], close[i])
                _ = m.step(high: high[i], low: low[i], close: close[i])
                if period == 1 {
                    let dm = Side.isPlus ? m.plusDM1 : m.minusDM1
                    let tr = m.trueRange1
                    out[i] = dm == 0.0 || !(tr > 0.0) ? 0.0 : dm / tr
                } else {
                    out[i] = Side.isPlus ? m.plusDI : m.minusDI
                }
            }
            return check
        }
    }
}

extension DirectionalIndicator: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try candle.validate()
        return step(high: candle.high, low: candle.low, close: candle.close) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
