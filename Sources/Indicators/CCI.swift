/// Commodity channel index (TA-Lib `CCI`).
///
/// With typical price tp = (high + low + close) / 3 and its mean m over the last `period`
/// candles, CCI = `(tp - m) / (0.015 * meanAbsoluteDeviation)`; 0 when either `tp - m` or
/// the mean absolute deviation is <= 1e-14 × |m| (TA-Lib 0.8's flatness test, relative to
/// the window's price level). Lookback `period - 1`. The divisor is computed as the
/// deviation's sum times `0.015 / period` (one division fewer than TA-Lib), which moves the
/// value by a few units in the last place at most.
///
/// The window's mean is TA-Lib's sum of its circular buffer from slot 0, in that order (so
/// bit-identical): the sum of the slots before the one being overwritten is kept (it is the
/// previous update's sum up to that slot), and an update adds the new price and then the
/// slots after it. The mean absolute deviation (no exact running form)
/// re-sums the window on every update, as TA-Lib, but in four interleaved partial sums (the
/// lanes of one vector): its terms are all non-negative, so that order changes it by a few
/// units in the last place at most. An update costs O(`period`) with no allocation.
public struct CCI: Sendable {
    public let period: Int
    /// The window's typical prices (`period` slots, filled from slot 0 and then circularly).
    var slots: FixedSlots<Double>
    /// Slot of the next typical price.
    var head = 0
    /// The sum of window slots `0..<head`, added in slot order (0 when `head` is 0).
    var prefix = 0.0
    /// Typical prices held, up to `period`.
    var count = 0
    /// `0.015 / period`: the deviation sum times this is TA-Lib's `0.015 × mean deviation`
    /// (one division fewer per update; within a few units in the last place of it).
    let scale: Double
    /// The latest value; NaN during the warm-up.
    public private(set) var value = Double.nan

    /// - Parameter period: 2...100000, as TA-Lib.
    public init(period: Int = 14) throws(IndicatorError) {
        try RangesSupport.period(period, of: "cci", in: 2...100_000)
        self.period = period
        scale = 0.015 / Double(period)
        slots = FixedSlots<Double>(repeating: 0, count: period)
    }

    public var lookback: Int { period - 1 }

    /// Feeds one candle's prices; returns the CCI once `period` candles are in, else nil.
    public mutating func update(high: Double, low: Double, close: Double) throws(IndicatorError) -> Double? {
        // Storage first: the uniqueness check is a call, cheapest before any price is live.
        let base = slots.uniqueBase()
        try RangesSupport.check(high: high, low: low, close: close)
        return step(high: high, low: low, close: close, slots: base)
    }

    /// - Parameter window: `self.slots.uniqueBase()`.
    @inline(__always) mutating func step(high: Double, low: Double, close: Double, slots window: UnsafeMutablePointer<Double>) -> Double? {
        let typical = (high + low + close) / 3
        let n = period
        let j = head
        window[j] = typical
        // Slots 0...j in order are the next update's prefix (none after a wrap); no stores
        // in the loop over the rest.
        var sum = prefix + typical
        let wraps = j &+ 1 == n
        prefix = wraps ? 0 : sum
        head = wraps ? 0 : j &+ 1
        var i = j &+ 1
        while i < n {
            sum += window[i]
            i &+= 1
        }
        if count < n {
            count &+= 1
            if count < n { return nil }
        }
        return finish(typical: typical, sum: sum, window: window)
    }

    @inline(__always) mutating func finish(typical: Double, sum: Double, window: UnsafeMutablePointer<Double>) -> Double {
        let n = period
        let average = sum / Double(n)
        // The four partial sums as the lanes of one vector (lane k sums slots k, k + 4, ...):
        // the same additions, four per instruction. |x| clears the sign bit, as `abs` does.
        var lanes = SIMD4<Double>()
        let mean = SIMD4<Double>(repeating: average)
        let magnitude = SIMD4<UInt64>(repeating: 0x7FFF_FFFF_FFFF_FFFF)
        var i = 0
        while i &+ 4 <= n {
            let difference = UnsafeRawPointer(window + i).loadUnaligned(as: SIMD4<Double>.self) - mean
            lanes += unsafeBitCast(unsafeBitCast(difference, to: SIMD4<UInt64>.self) & magnitude, to: SIMD4<Double>.self)
            i &+= 4
        }
        var d0 = lanes[0], d1 = lanes[1], d2 = lanes[2]
        let d3 = lanes[3]
        if i < n { d0 += abs(window[i] - average) }
        if i &+ 1 < n { d1 += abs(window[i &+ 1] - average) }
        if i &+ 2 < n { d2 += abs(window[i &+ 2] - average) }
        // The deviation's sum, not its mean: the mean's division is folded into `scale`.
        let deviationSum = (d0 + d1) + (d2 + d3)
        let distance = typical - average
        let level = abs(average)
        if !RangesSupport.isZero(distance, scale: level), !RangesSupport.isZero(deviationSum, scale: level * Double(n)) {
            value = distance / (deviationSum * scale)
        } else {
            value = 0.0
        }
        return value
    }

    /// The CCI of a whole series: NaN for the first `period - 1` entries.
    public static func batch(high: [Double], low: [Double], close: [Double], period: Int = 14) throws(IndicatorError) -> [Double] {
        try batch(CCI(period: period), high: high, low: low, close: close)
    }
}

extension CCI: HighLowCloseIndicator {
    mutating func uniqueSlots() -> UnsafeMutablePointer<Double> { slots.uniqueBase() }
}

extension CCI: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        let base = slots.uniqueBase()
        try candle.validate()
        return step(high: candle.high, low: candle.low, close: candle.close, slots: base) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
