/// Stochastic RSI (TA-Lib `STOCHRSI` with `fastd_matype` 0): the fast stochastic of the
/// Wilder RSI. `k` places the RSI within its `fastK`-value range,
/// `((rsi − lowest) / (highest − lowest)) × 100`, and `d` is the simple moving average of
/// the last `fastD` values of `k`.
///
/// Lookback `period + (fastK − 1) + (fastD − 1)`. As TA-Lib 0.8, `k` is 0 on a flat range,
/// judged against the range's own extremes (`|highest − lowest| <= 1e-14 × (|highest| +
/// |lowest|)`) rather than a fixed epsilon; `d` keeps TA-Lib's SMA running sum (so a long
/// run of zeros can leave a residue of order 1e-15). `k` is bit-identical to TA-Lib 0.8; `d`
/// multiplies the running sum by `1 / fastD` where TA-Lib divides by `fastD` (a division
/// fewer per update), so it can differ from TA-Lib's by about a unit in the last place.
public struct STOCHRSI: Sendable {
    /// One reading: `k` and its smoothing `d`.
    public struct Value: Sendable, Equatable {
        public var k: Double
        public var d: Double

        public init(k: Double, d: Double) {
            self.k = k
            self.d = d
        }
    }

    /// The RSI period.
    public let period: Int
    public let fastK: Int
    public let fastD: Int
    var rsi: RSI
    /// The highest and lowest of the last `fastK` RSI values (branch-free van Herk / Gil-Werman).
    var extremes: RollingExtremes
    /// The extremes' slots, then the window of the last `fastD` values of `k`.
    var slots: FixedSlots<Double>
    /// Offset of the next `k` slot within the `k` window.
    var kHead = 0
    /// Values of `k` in the window, up to `fastD`.
    var kCount = 0
    /// SMA running sum of `k`: the window without its oldest value between updates.
    var kSum = 0.0
    /// `1 / fastD`: `d` is the running sum times this (a multiply, not TA-Lib's division;
    /// about a unit in the last place from it).
    let inverseFastD: Double
    /// The latest reading; NaN fields during the warm-up.
    public private(set) var value = Value(k: .nan, d: .nan)

    /// - Parameters:
    ///   - period: RSI period, 2...100000, as TA-Lib.
    ///   - fastK: window of the RSI range, 1...100000, as TA-Lib.
    ///   - fastD: SMA period of `d`, 1...100000, as TA-Lib.
    public init(period: Int = 14, fastK: Int = 5, fastD: Int = 3) throws(IndicatorError) {
        guard (2...100_000).contains(period) else {
            throw .invalidParameter(indicator: "stochrsi", parameter: "period", value: period, reason: "must be 2...100000")
        }
        guard (1...100_000).contains(fastK) else {
            throw .invalidParameter(indicator: "stochrsi", parameter: "fastk", value: fastK, reason: "must be 1...100000")
        }
        guard (1...100_000).contains(fastD) else {
            throw .invalidParameter(indicator: "stochrsi", parameter: "fastd", value: fastD, reason: "must be 1...100000")
        }
        self.period = period
        self.fastK = fastK
        self.fastD = fastD
        inverseFastD = 1.0 / Double(fastD)
        rsi = try RSI(period: period)
        extremes = RollingExtremes(window: fastK)
        slots = FixedSlots<Double>(repeating: 0, count: RollingExtremes.slotCount(window: fastK) + fastD)
    }

    public var lookback: Int { period + (fastK - 1) + (fastD - 1) }

    /// Feeds one value; returns the reading once `lookback + 1` values are in, else nil.
    public mutating func update(_ x: Double) throws(IndicatorError) -> Value? {
        // Storage first: the uniqueness check is a call, cheapest before any value is live.
        let base = slots.uniqueBase()
        guard x.isFinite else { throw .nonFiniteInput(field: "value", value: x) }
        return step(x, slots: base)
    }

    /// The recursion for a value already known to be finite; `base` is `self.slots.uniqueBase()`.
    @inline(__always) mutating func step(_ x: Double, slots base: UnsafeMutablePointer<Double>) -> Value? {
        guard let r = rsi.step(x) else { return nil }
        extremes.push(high: r, low: r, slots: base)
        guard extremes.isFull else { return nil }
        let high = extremes.highest
        let low = extremes.lowest
        let range = high - low
        let k = abs(range) <= 1e-14 * (abs(high) + abs(low)) ? 0.0 : ((r - low) / range) * 100.0
        let kSlot = base + RollingExtremes.slotCount(window: fastK) + kHead
        kHead = kHead &+ 1 == fastD ? 0 : kHead &+ 1
        // The sum in a local: written back once, not around the store to the window.
        var sum = kSum
        if kCount == fastD {
            sum -= kSlot.pointee
        } else {
            kCount &+= 1
        }
        kSlot.pointee = k
        sum += k
        kSum = sum
        guard kCount == fastD else { return nil }
        value = Value(k: k, d: sum * inverseFastD)
        return value
    }

    /// STOCHRSI over a whole series: two arrays, NaN for the first `lookback` entries.
    public static func batch(_ input: [Double], period: Int = 14, fastK: Int = 5, fastD: Int = 3) throws(IndicatorError)
        -> (k: [Double], d: [Double])
    {
        let prototype = try STOCHRSI(period: period, fastK: fastK, fastD: fastD)
        return try input.withUnsafeBufferPointer { (x) throws(IndicatorError) in
            var check = BatchSupport.FiniteCheck()
            let result = BatchSupport.columns(x.count) { k, d in
                // A local copy the optimizer can keep in registers across the loop; it
                // is not copied again, so its storage, made unique once, stays unique.
                var stochRSI = prototype
                let base = stochRSI.slots.uniqueBase()
                for i in 0..<x.count {
                    check.add(x[i])
                    let v = stochRSI.step(x[i], slots: base)
                    k[i] = v?.k ?? .nan
                    d[i] = v?.d ?? .nan
                }
            }
            if check.failed { try BatchSupport.requireFinite(x) }
            return result
        }
    }
}

extension STOCHRSI: CandleIndicator {
    public var outputNames: [String] { ["k", "d"] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        let base = slots.uniqueBase()
        guard candle.close.isFinite else { throw .nonFiniteInput(field: "value", value: candle.close) }
        return step(candle.close, slots: base) != nil
    }

    public func value(_ index: Int) -> Double { index == 0 ? value.k : value.d }
}
