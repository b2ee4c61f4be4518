/// Williams' %R (TA-Lib `WILLR`): `(highest high - close) / (highest high - lowest low) * -100`
/// over the last `period` candles, ranging from -100 to -0; 0 when the range is
/// <= 1e-14 × (|highest| + |lowest|) (TA-Lib 0.8's scaled flatness test).
///
/// Lookback `period - 1`.
public struct WilliamsR: Sendable {
    public let period: Int
    var range: RollingExtremes
    /// The range's storage.
    var slots: FixedSlots<Double>
    /// The latest value; NaN during the warm-up.
    public private(set) var value = Double.nan

    /// - Parameter period: 2...100000, as TA-Lib.
    public init(period: Int = 14) throws(IndicatorError) {
        try RangesSupport.period(period, of: "willr", in: 2...100_000)
        self.period = period
        range = RollingExtremes(window: period)
        slots = FixedSlots<Double>(repeating: 0, count: RollingExtremes.slotCount(window: period))
    }

    public var lookback: Int { period - 1 }

    /// Feeds one candle's prices; returns %R once `period` candles are in, else nil.
    public mutating func update(high: Double, low: Double, close: Double) throws(IndicatorError) -> Double? {
        // Storage first: the uniqueness check is a call, cheapest before any price is live.
        let base = slots.uniqueBase()
        try RangesSupport.check(high: high, low: low, close: close)
        return step(high: high, low: low, close: close, slots: base)
    }

    /// - Parameter slots: `self.slots.uniqueBase()`.
    @inline(__always) mutating func step(high: Double, low: Double, close: Double, slots: UnsafeMutablePointer<Double>) -> Double? {
        range.push(high: high, low: low, slots: slots)
        guard range.isFull else { return nil }
        value = Self.percentR(highest: range.highest, lowest: range.lowest, close: close)
        return value
    }

    @inline(__always) static func percentR(highest: Double, lowest: Double, close: Double) -> Double {
        let range = highest - lowest
        let flat = RangesSupport.isZero(range, scale: abs(highest) + abs(lowest))
        return flat ? 0.0 : (highest - close) / range * -100.0
    }
}

extension WilliamsR: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        let base = slots.uniqueBase()
        try candle.validate()
        return step(high: candle.high, low: candle.low, close: candle.close, slots: base) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
