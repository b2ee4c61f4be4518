/// Donchian channel (not in TA-Lib).
///
/// Over the last `period` candles including the current one: upper = highest high,
/// lower = lowest low, middle = (upper + lower) / 2. Upper and lower equal TA-Lib's
/// `MAX(high, period)` and `MIN(low, period)`. Lookback `period - 1`.
public struct Donchian: Sendable {
    /// The three lines of one candle.
    public struct Value: Sendable, Equatable {
        /// Highest high of the window.
        public var upper: Double
        /// (upper + lower) / 2.
        public var middle: Double
        /// Lowest low of the window.
        public var lower: Double

        public init(upper: Double, middle: Double, lower: Double) {
            self.upper = upper
            self.middle = middle
            self.lower = lower
        }
    }

    public let period: Int
    var range: RollingExtremes
    /// The range's storage.
    var slots: FixedSlots<Double>
    /// The latest lines; NaN during the warm-up.
    public private(set) var value = Value(upper: .nan, middle: .nan, lower: .nan)

    /// - Parameter period: 2...100000 (TA-Lib's range for `MAX`/`MIN`).
    public init(period: Int = 20) throws(IndicatorError) {
        try RangesSupport.period(period, of: "donchian", in: 2...100_000)
        self.period = period
        range = RollingExtremes(window: period)
        slots = FixedSlots<Double>(repeating: 0, count: RollingExtremes.slotCount(window: period))
    }

    public var lookback: Int { period - 1 }

    /// Feeds one candle's high and low; returns the channel once `period` candles are in,
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
        let upper = range.highest
        let lower = range.lowest
        value = Value(upper: upper, middle: (upper + lower) / 2, lower: lower)
        return value
    }

    /// The channel of a whole series: NaN for the first `period - 1` entries.
    public static func batch(high: [Double], low: [Double], period: Int = 20) throws(IndicatorError) -> (upper: [Double], middle: [Double], lower: [Double]) {
        RangesSupport.requireSameCount(high.count, low.count)
        let prototype = try Donchian(period: period)
        return try high.withUnsafeBufferPointer { (high) throws(IndicatorError) in
            try low.withUnsafeBufferPointer { (low) throws(IndicatorError) in
                var check = BatchSupport.FiniteCheck()
                let result = BatchSupport.columns(high.count) { upper, middle, lower in
                    BatchSupport.warmUp(upper, middle, lower, count: prototype.lookback)
                    check = RollingExtremes.scan(high: high, low: low, window: period) { i, highest, lowest in
                        upper[i] = highest
                        middle[i] = (highest + lowest) / 2
                        lower[i] = lowest
                    }
                }
                if check.failed { try BatchSupport.requireFinite(high: high, low: low) }
                return result
            }
        }
    }
}

extension Donchian: CandleIndicator {
    public var outputNames: [String] { ["upper", "middle", "lower"] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        let base = slots.uniqueBase()
        try candle.validate()
        return step(high: candle.high, low: candle.low, slots: base) != nil
    }

    public func value(_ index: Int) -> Double {
        switch index {
        case 0: value.upper
        case 1: value.middle
        default: value.lower
        }
    }
}
