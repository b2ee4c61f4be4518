/// Money flow index (TA-Lib `MFI`): `100 * positive flow / (positive + negative flow)` over
/// the last `period` candles.
///
/// Money flow is typical price (high + low + close) / 3 times volume; it counts as positive
/// when the typical price rose from the previous candle, negative when it fell, and not at
/// all when |change| <= 1e-14 × (|typical| + |previous typical|) (TA-Lib 0.8's scaled
/// dead-zone). As in TA-Lib 0.8, sums are zeroed exactly once a whole period brought no
/// flow, an empty window gives 0, and the ratio is clamped into 0...100.
/// Lookback `period` (the first candle only supplies a previous typical price).
public struct MFI: Sendable {
    public let period: Int
    /// The window's flows, interleaved: positive, negative, positive, ... (`2 * period`).
    var flows: FixedSlots<Double>
    /// Slot of the next flow pair.
    var head = 0
    /// Flow pairs held, up to `period`.
    var count = 0
    var positiveSum = 0.0
    var negativeSum = 0.0
    var previousTypical = 0.0
    var started = false
    /// Consecutive candles without money flow, capped at `period`.
    var emptyRun = 0
    /// The latest value; NaN during the warm-up.
    public private(set) var value = Double.nan

    /// - Parameter period: 2...100000, as TA-Lib.
    public init(period: Int = 14) throws(IndicatorError) {
        try RangesSupport.period(period, of: "mfi", in: 2...100_000)
        self.period = period
        flows = FixedSlots<Double>(repeating: 0, count: 2 * period)
    }

    public var lookback: Int { period }

    /// Feeds one candle; returns the MFI once `period + 1` candles are in, else nil.
    public mutating func update(high: Double, low: Double, close: Double, volume: Double) throws(IndicatorError) -> Double? {
        // Storage first: the uniqueness check is a call, cheapest before any price is live.
        let base = flows.uniqueBase()
        try RangesSupport.check(high: high, low: low, close: close, volume: volume)
        return step(high: high, low: low, close: close, volume: volume, flows: base)
    }

    /// - Parameter f: `self.flows.uniqueBase()`.
    @inline(__always) mutating func step(high: Double, low: Double, close: Double, volume: Double, flows f: UnsafeMutablePointer<Double>) -> Double? {
        let typical = (high + low + close) / 3.0
        guard started else {
            started = true
            previousTypical = typical
            return nil
        }
        let change = typical - previousTypical
        let scale = abs(typical) + abs(previousTypical)
        previousTypical = typical
        let flow = RangesSupport.isZero(change, scale: scale) ? 0.0 : typical * volume
        let positiveFlow = change < 0.0 ? 0.0 : flow
        let negativeFlow = change < 0.0 ? flow : 0.0
        let slot = 2 &* head
        let oldPositive = f[slot], oldNegative = f[slot &+ 1]
        f[slot] = positiveFlow
        f[slot &+ 1] = negativeFlow
        head = head &+ 1 == period ? 0 : head &+ 1
        let full = count == period
        if full {
            positiveSum -= oldPositive
            negativeSum -= oldNegative
        } else {
            count &+= 1
        }
        positiveSum += positiveFlow
        negativeSum += negativeFlow
        emptyRun = flow == 0.0 ? emptyRun + 1 : 0
        if emptyRun >= period {
            emptyRun = period
            positiveSum = 0.0
            negativeSum = 0.0
        }
        guard full || count == period else { return nil }
        let total = positiveSum + negativeSum
        let clamped = positiveSum < 0.0 ? 0.0 : (positiveSum > total ? total : positiveSum)
        value = total <= 0.0 ? 0.0 : 100.0 * (clamped / total)
        return value
    }
}

extension MFI: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        let base = flows.uniqueBase()
        try candle.validate()
        return step(high: candle.high, low: candle.low, close: candle.close, volume: candle.volume, flows: base) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
