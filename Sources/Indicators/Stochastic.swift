/// Slow stochastic oscillator (TA-Lib `STOCH` with simple-moving-average smoothing).
///
/// Raw %K = `(close - lowest low) / (highest high - lowest low) * 100` over the last
/// `fastK` candles (0 when the range is <= 1e-14 × (|highest| + |lowest|), TA-Lib 0.8's
/// scaled flatness test); %K is its `slowK`-period SMA and %D the `slowD`-period SMA of %K.
/// Lookback `(fastK - 1) + (slowK - 1) + (slowD - 1)`. Matches
/// `STOCH(high, low, close, fastK, slowK, 0, slowD, 0)`.
public struct Stochastic: Sendable {
    /// %K and %D of one candle.
    public struct Value: Sendable, Equatable {
        /// Slow %K: the SMA of raw %K.
        public var k: Double
        /// Slow %D: the SMA of %K.
        public var d: Double

        public init(k: Double, d: Double) {
            self.k = k
            self.d = d
        }
    }

    /// TA-Lib's running-sum SMA (add the newest value, divide, then drop the oldest), which
    /// with period 1 passes values through unchanged. Its window lives in the owner's storage,
    /// `period` doubles from `offset`.
    struct Smoother: Sendable {
        let period: Int
        /// Where the window starts in the owner's storage.
        let offset: Int
        var head = 0
        var count = 0
        var sum = 0.0

        init(period: Int, offset: Int) {
            self.period = period
            self.offset = offset
        }

        @inline(__always)
        mutating func push(_ x: Double, slots: UnsafeMutablePointer<Double>) -> Double? {
            let slot = offset &+ head
            let oldest = slots[slot]
            slots[slot] = x
            head = head &+ 1 == period ? 0 : head &+ 1
            if count == period {
                sum -= oldest
            } else {
                count &+= 1
            }
            sum += x
            guard count == period else { return nil }
            return sum / Double(period)
        }
    }

    public let fastKPeriod: Int
    public let slowKPeriod: Int
    public let slowDPeriod: Int
    var range: RollingExtremes
    var slowK: Smoother
    var slowD: Smoother
    /// The range's slots, then the %K and %D windows: one allocation, one uniqueness check
    /// per update.
    var slots: FixedSlots<Double>
    /// The latest %K and %D; NaN during the warm-up.
    public private(set) var value = Value(k: .nan, d: .nan)

    /// - Parameters:
    ///   - fastK: candles for the highest high and lowest low, 1...100000.
    ///   - slowK: SMA period smoothing raw %K into %K, 1...100000.
    ///   - slowD: SMA period smoothing %K into %D, 1...100000.
    public init(fastK: Int = 14, slowK: Int = 3, slowD: Int = 3) throws(IndicatorError) {
        try RangesSupport.period(fastK, of: "stoch", name: "fastk", in: 1...100_000)
        try RangesSupport.period(slowK, of: "stoch", name: "slowk", in: 1...100_000)
        try RangesSupport.period(slowD, of: "stoch", name: "slowd", in: 1...100_000)
        fastKPeriod = fastK
        slowKPeriod = slowK
        slowDPeriod = slowD
        range = RollingExtremes(window: fastK)
        let rangeSlots = RollingExtremes.slotCount(window: fastK)
        self.slowK = Smoother(period: slowK, offset: rangeSlots)
        self.slowD = Smoother(period: slowD, offset: rangeSlots + slowK)
        slots = FixedSlots<Double>(repeating: 0, count: rangeSlots + slowK + slowD)
    }

    public var lookback: Int { fastKPeriod - 1 + slowKPeriod - 1 + slowDPeriod - 1 }

    /// Feeds one candle's prices; returns %K and %D once `lookback + 1` candles are in, else nil.
    public mutating func update(high: Double, low: Double, close: Double) throws(IndicatorError) -> Value? {
        // Storage first: the uniqueness check is a call, cheapest before any price is live.
        let base = slots.uniqueBase()
        try RangesSupport.check(high: high, low: low, close: close)
        return step(high: high, low: low, close: close, slots: base)
    }

    /// - Parameter base: `self.slots.uniqueBase()`.
    @inline(__always) mutating func step(high: Double, low: Double, close: Double, slots base: UnsafeMutablePointer<Double>) -> Value? {
        range.push(high: high, low: low, slots: base)
        guard range.isFull else { return nil }
        let highestHigh = range.highest
        let lowestLow = range.lowest
        let range = highestHigh - lowestLow
        let flat = RangesSupport.isZero(range, scale: abs(highestHigh) + abs(lowestLow))
        let fastK = flat ? 0.0 : (close - lowestLow) / range * 100.0
        guard let k = slowK.push(fastK, slots: base), let d = slowD.push(k, slots: base) else { return nil }
        value = Value(k: k, d: d)
        return value
    }

    /// %K and %D of a whole series: NaN for the first `lookback` entries.
    public static func batch(high: [Double], low: [Double], close: [Double], fastK: Int = 14, slowK: Int = 3, slowD: Int = 3) throws(IndicatorError) -> (k: [Double], d: [Double]) {
        RangesSupport.requireSameCount(high.count, low.count, close.count)
        let prototype = try Stochastic(fastK: fastK, slowK: slowK, slowD: slowD)
        return try high.withUnsafeBufferPointer { (high) throws(IndicatorError) in
            try low.withUnsafeBufferPointer { (low) throws(IndicatorError) in
                try close.withUnsafeBufferPointer { (close) throws(IndicatorError) in
                    var check = BatchSupport.FiniteCheck()
                    let result = BatchSupport.columns(close.count) { k, d in
                        // A local copy the optimizer can keep in registers across the loop; it
                        // is not copied again, so its storage, made unique once, stays unique.
                        var indicator = prototype
                        let base = indicator.slots.uniqueBase()
                        for i in 0..<close.count {
                            check.add(high[i], low[i], close[i])
                            let v = indicator.step(high: high[i], low: low[i], close: close[i], slots: base)
                            k[i] = v?.k ?? .nan
                            d[i] = v?.d ?? .nan
                        }
                    }
                    if check.failed { try BatchSupport.requireFinite(high: high, low: low, close: close) }
                    return result
                }
            }
        }
    }
}

extension Stochastic: CandleIndicator {
    public var outputNames: [String] { ["k", "d"] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        let base = slots.uniqueBase()
        try candle.validate()
        return step(high: candle.high, low: candle.low, close: candle.close, slots: base) != nil
    }

    public func value(_ index: Int) -> Double { index == 0 ? value.k : value.d }
}
