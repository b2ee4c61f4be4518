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
    var range: RollingRange
    /// The latest down and up; NaN during the warm-up.
    public private(set) var value = Value(down: .nan, up: .nan)

    /// - Parameter period: 2...100000, as TA-Lib.
    public init(period: Int = 14) throws(IndicatorError) {
        try RangesSupport.period(period, of: "aroon", in: 2...100_000)
        self.period = period
        factor = 100.0 / Double(period)
        range = RollingRange(window: period + 1)
    }

    public var lookback: Int { period }

    /// Feeds one candle's high and low; returns down and up once `period + 1` candles are in,
    /// else nil.
    public mutating func update(high: Double, low: Double) throws(IndicatorError) -> Value? {
        try RangesSupport.check(high: high, low: low)
        return step(high: high, low: low)
    }

    mutating func step(high: Double, low: Double) -> Value? {
        range.push(high: high, low: low)
        guard range.isFull else { return nil }
        value = Value(down: factor * Double(period - range.lowestAge), up: factor * Double(period - range.highestAge))
        return value
    }

    /// Aroon down and up of a whole series: NaN for the first `period` entries.
    public static func batch(high: [Double], low: [Double], period: Int = 14) throws(IndicatorError) -> (down: [Double], up: [Double]) {
        RangesSupport.requireSameCount(high.count, low.count)
        let prototype = try Aroon(period: period)
        var down = [Double](repeating: .nan, count: high.count)
        var up = down
        try high.withUnsafeBufferPointer { (high) throws(IndicatorError) in
            try low.withUnsafeBufferPointer { (low) throws(IndicatorError) in
                try down.withUnsafeMutableBufferPointer { (down) throws(IndicatorError) in
                    try up.withUnsafeMutableBufferPointer { (up) throws(IndicatorError) in
                        // A local copy the optimizer can keep in registers across the loop.
                        var indicator = prototype
                        for i in high.indices {
                            if let v = try indicator.update(high: high[i], low: low[i]) {
                                down[i] = v.down
                                up[i] = v.up
                            }
                        }
                    }
                }
            }
        }
        return (down, up)
    }
}

extension Aroon: CandleIndicator {
    public var outputNames: [String] { ["down", "up"] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try candle.validate()
        return step(high: candle.high, low: candle.low) != nil
    }

    public func value(_ index: Int) -> Double { index == 0 ? value.down : value.up }
}
