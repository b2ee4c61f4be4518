/// Keltner channel (not in TA-Lib).
///
/// middle = EMA(`period`) of close, exactly as TA-Lib's `EMA` (seeded with the SMA of the
/// first `period` closes, then k = 2 / (period + 1); see `EMA`); upper = middle + `multiplier` × ATR,
/// lower = middle - `multiplier` × ATR, with ATR(`atrPeriod`) exactly as TA-Lib's `ATR`.
/// Lookback `max(period - 1, atrPeriod)`.
public struct Keltner: Sendable {
    /// The three lines of one candle.
    public struct Value: Sendable, Equatable {
        /// middle + multiplier × ATR.
        public var upper: Double
        /// EMA of close.
        public var middle: Double
        /// middle - multiplier × ATR.
        public var lower: Double

        public init(upper: Double, middle: Double, lower: Double) {
            self.upper = upper
            self.middle = middle
            self.lower = lower
        }
    }

    public let period: Int
    public let multiplier: Double
    public let atrPeriod: Int
    var ema: EMA
    var atr: ATR
    /// The latest lines; NaN during the warm-up.
    public private(set) var value = Value(upper: .nan, middle: .nan, lower: .nan)

    /// - Parameters:
    ///   - period: EMA period of the middle line, 1...100000 (TA-Lib's `EMA` range).
    ///   - multiplier: ATR multiple between the middle line and each band, finite and >= 0.
    ///   - atrPeriod: ATR period, 1...100000.
    public init(period: Int = 20, multiplier: Double = 2, atrPeriod: Int = 10) throws(IndicatorError) {
        try RangesSupport.period(period, of: "keltner", in: 1...100_000)
        guard multiplier.isFinite, multiplier >= 0 else {
            throw .invalidParameter(indicator: "keltner", parameter: "multiplier", value: multiplier, reason: "must be a finite number >= 0")
        }
        try RangesSupport.period(atrPeriod, of: "keltner", name: "atr_period", in: 1...100_000)
        self.period = period
        self.multiplier = multiplier
        self.atrPeriod = atrPeriod
        ema = try EMA(period: period)
        atr = try ATR(period: atrPeriod)
    }

    public var lookback: Int { max(period - 1, atrPeriod) }

    /// Feeds one candle's prices; returns the channel once `lookback + 1` candles are in,
    /// else nil.
    public mutating func update(high: Double, low: Double, close: Double) throws(IndicatorError) -> Value? {
        try RangesSupport.check(high: high, low: low, close: close)
        return step(high: high, low: low, close: close)
    }

    @inline(__always) mutating func step(high: Double, low: Double, close: Double) -> Value? {
        let middle = ema.step(close)
        let range = atr.step(high: high, low: low, close: close)
        guard let middle, let range else { return nil }
        let width = multiplier * range
        value = Value(upper: middle + width, middle: middle, lower: middle - width)
        return value
    }

    /// The channel of a whole series: NaN for the first `lookback` entries.
    public static func batch(high: [Double], low: [Double], close: [Double], period: Int = 20, multiplier: Double = 2, atrPeriod: Int = 10) throws(IndicatorError) -> (upper: [Double], middle: [Double], lower: [Double]) {
        RangesSupport.requireSameCount(high.count, low.count, close.count)
        var keltner = try Keltner(period: period, multiplier: multiplier, atrPeriod: atrPeriod)
        return try high.withUnsafeBufferPointer { (high) throws(IndicatorError) in
            try low.withUnsafeBufferPointer { (low) throws(IndicatorError) in
                try close.withUnsafeBufferPointer { (close) throws(IndicatorError) in
                    var check = BatchSupport.FiniteCheck()
                    let result = BatchSupport.columns(close.count) { upper, middle, lower in
                        let start = BatchSupport.warmUp(upper, middle, lower, count: keltner.lookback)
                        for i in 0..<start { check.add(high[i], low[i], close[i]) }
                        guard start < close.count else { return }
                        // The warm-up through `step` itself, up to the first reading; then both
                        // recursions on locals (EMA as `EMA.step`, ATR as `ATR.step`).
                        check.add(high[start], low[start], close[start])
                        for i in 0...start {
                            let v = keltner.step(high: high[i], low: low[i], close: close[i])
                            upper[i] = v?.upper ?? .nan
                            middle[i] = v?.middle ?? .nan
                            lower[i] = v?.lower ?? .nan
                        }
                        var ema = keltner.ema.value, atr = keltner.atr.value
                        let k = keltner.ema.k, alpha = keltner.atr.alpha, beta = keltner.atr.beta
                        let emaIsClose = period == 1, atrIsRange = atrPeriod == 1
                        for i in start + 1 ..< close.count {
                            let c = close[i]
                            check.add(high[i], low[i], c)
                            ema = emaIsClose ? c : ema.addingProduct(c - ema, k)
                            let range = RangesSupport.trueRange(high: high[i], low: low[i], previousClose: close[i &- 1])
                            atr = atrIsRange ? range : (alpha * range).addingProduct(beta, atr)
                            let width = multiplier * atr
                            upper[i] = ema + width
                            middle[i] = ema
                            lower[i] = ema - width
                        }
                    }
                    if check.failed { try BatchSupport.requireFinite(high: high, low: low, close: close) }
                    return result
                }
            }
        }
    }
}

extension Keltner: CandleIndicator {
    public var outputNames: [String] { ["upper", "middle", "lower"] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try candle.validate()
        return step(high: candle.high, low: candle.low, close: candle.close) != nil
    }

    public func value(_ index: Int) -> Double {
        switch index {
        case 0: value.upper
        case 1: value.middle
        default: value.lower
        }
    }
}
