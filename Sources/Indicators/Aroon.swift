/// Aroon (TA-Lib `AROON`): how recently the highest high and the lowest low of the last
/// `period + 1` candles occurred, as `100 / period * (period - candles since)`.
///
/// Outputs in TA-Lib's order: down (from the lowest low), then up (from the highest high).
/// Among equal extremes the most recent counts, as in TA-Lib. Lookback `period`.
public struct Aroon: Sendable {
    /// Aroon down and up of one candle.
    public struct Value: Sendable, Equatable {
        /// Aroon down, from the candles since the lowest low.
        public var down: Double
        /// Aroon up, from the candles since the highest high.
        public var up: Double

        public init(down: Double, up: Double) {
            self.down = down
            self.up = up
        }
    }

    public let period: Int
    let factor: Double
    /// `period` as a double.
    let span: Double
    var range: RollingRange
    /// The range's storage.
    var slots: FixedSlots<Double>
    /// The latest down and up; NaN during the warm-up.
    public private(set) var value = Value(down: .nan, up: .nan)

    /// - Parameter period: 2...100000, as TA-Lib.
    public init(period: Int = 14) throws(IndicatorError) {
        try RangesSupport.period(period, of: "aroon", in: 2...100_000)
        self.period = period
        factor = 100.0 / Double(period)
        span = Double(period)
        range = RollingRange(window: period + 1)
        slots = FixedSlots<Double>(repeating: 0, count: RollingRange.slotCount(window: period + 1))
    }

    public var lookback: Int { period }

    /// Feeds one candle's high and low; returns down and up once `period + 1` candles are in,
    /// else nil.
    public mutating func update(high: Double, low: Double) throws(IndicatorError) -> Value? {
        // Storage first: the uniqueness check is a call, cheapest before any price is live.
        let base = slots.uniqueBase()
        try RangesSupport.check(high: high, low: low)
        return step(high: high, low: low, slots: base)
    }

    /// - Parameter slots: `self.slots.uniqueBase()`.
    @inline(__always) mutating func step(high: Double, low: Double, slots: UnsafeMutablePointer<Double>) -> Value? {
        range.push(high: high, low: low, slots: slots)
        guard range.isFull else { return nil }
        // Whole numbers, exact in doubles: the same products as TA-Lib's `factor * (period - age)`.
        value = Value(down: factor * (span - range.lowestAge), up: factor * (span - range.highestAge))
        return value
    }
}

extension Aroon: CandleIndicator {
    public var outputNames: [String] { ["down", "up"] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        let base = slots.uniqueBase()
        try candle.validate()
        return step(high: candle.high, low: candle.low, slots: base) != nil
    }

    public func value(_ index: Int) -> Double { index == 0 ? value.down : value.up }
}
