/// Double exponential moving average, `2·EMA(x) − EMA(EMA(x))` (TA-Lib `DEMA`).
///
/// Lookback `2 × (period − 1)`. As in TA-Lib, each EMA is seeded with the simple average of
/// its own first `period` inputs: the inner EMA is fed only from its first value on, so
/// both seeds and every step are bit-identical to TA-Lib 0.8. A period of 1 copies the input.
public struct DEMA: Sendable {
    public let period: Int
    var ema1: EMA
    var ema2: EMA
    /// The latest value; NaN during the warm-up.
    public private(set) var value = Double.nan

    /// - Parameter period: 1...100000, as TA-Lib (1 passes the input through).
    public init(period: Int = 20) throws(IndicatorError) {
        guard (1...100_000).contains(period) else {
            throw .invalidParameter(indicator: "dema", parameter: "period", value: period, reason: "must be 1...100000")
        }
        self.period = period
        ema1 = try EMA(period: period)
        ema2 = try EMA(period: period)
    }

    public var lookback: Int { 2 * (period - 1) }

    /// Feeds one value; returns the DEMA once `lookback + 1` values are in, else nil.
    public mutating func update(_ x: Double) throws(IndicatorError) -> Double? {
        guard x.isFinite else { throw .nonFiniteInput(field: "value", value: x) }
        return step(x)
    }

    @inline(__always) mutating func step(_ x: Double) -> Double? {
        guard let e1 = ema1.step(x), let e2 = ema2.step(e1) else { return nil }
        // TA-Lib copies the input at period 1 (2x - x would turn -0.0 into +0.0).
        value = period == 1 ? x : (2.0 * e1) - e2
        return value
    }

    /// The DEMA of a whole series: NaN for the first `2 × (period − 1)` entries.
    public static func batch(_ input: [Double], period: Int = 20) throws(IndicatorError) -> [Double] {
        var dema = try DEMA(period: period)
        return try input.withUnsafeBufferPointer { (x) throws(IndicatorError) in
            var check = BatchSupport.FiniteCheck()
            let result = BatchSupport.column(x.count) { out in
                if period == 1 {
                    for i in 0..<x.count {
                        check.add(x[i])
                        out[i] = x[i]
                    }
                    return
                }
                // The warm-up through `step` itself, up to the first value; then its
                // recursion on locals.
                let start = BatchSupport.warmUp(out, dema.lookback)
                for i in 0..<min(start + 1, x.count) { check.add(x[i]) }
                guard start < x.count else { return }
                for i in 0...start { out[i] = dema.step(x[i]) ?? .nan }
                var e1 = dema.ema1.value, e2 = dema.ema2.value
                let k = dema.ema1.k
                for i in start + 1 ..< x.count {
                    check.add(x[i])
                    e1 = e1.addingProduct(x[i] - e1, k)
                    e2 = e2.addingProduct(e1 - e2, k)
                    out[i] = (2.0 * e1) - e2
                }
            }
            if check.failed { try BatchSupport.requireFinite(x) }
            return result
        }
    }
}

extension DEMA: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try update(candle.close) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
