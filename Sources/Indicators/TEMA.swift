/// Triple exponential moving average, `3·EMA1 − 3·EMA2 + EMA3` where each EMA smooths the
/// previous one (TA-Lib `TEMA`).
///
/// Lookback `3 × (period − 1)`. Each EMA is seeded with the simple average of its own first
/// `period` inputs, as TA-Lib, and the combination keeps TA-Lib's grouping
/// `EMA3 + ((3·EMA1) − (3·EMA2))`, so values are bit-identical to TA-Lib 0.8.
/// A period of 1 copies the input.
public struct TEMA: Sendable {
    public let period: Int
    var ema1: EMA
    var ema2: EMA
    var ema3: EMA
    /// The latest value; NaN during the warm-up.
    public private(set) var value = Double.nan

    /// - Parameter period: 1...100000, as TA-Lib (1 passes the input through).
    public init(period: Int = 20) throws(IndicatorError) {
        guard (1...100_000).contains(period) else {
            throw .invalidParameter(indicator: "tema", parameter: "period", value: period, reason: "must be 1...100000")
        }
        self.period = period
        ema1 = try EMA(period: period)
        ema2 = try EMA(period: period)
        ema3 = try EMA(period: period)
    }

    public var lookback: Int { 3 * (period - 1) }

    /// Feeds one value; returns the TEMA once `lookback + 1` values are in, else nil.
    public mutating func update(_ x: Double) throws(IndicatorError) -> Double? {
        guard x.isFinite else { throw .nonFiniteInput(field: "value", value: x) }
        return step(x)
    }

    @inline(__always) mutating func step(_ x: Double) -> Double? {
        guard let e1 = ema1.step(x), let e2 = ema2.step(e1), let e3 = ema3.step(e2) else { return nil }
        value = period == 1 ? x : e3 + ((3.0 * e1) - (3.0 * e2))
        return value
    }

    /// The TEMA of a whole series: NaN for the first `3 × (period − 1)` entries.
    public static func batch(_ input: [Double], period: Int = 20) throws(IndicatorError) -> [Double] {
        var tema = try TEMA(period: period)
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
                let start = BatchSupport.warmUp(out, tema.lookback)
                for i in 0..<min(start + 1, x.count) { check.add(x[i]) }
                guard start < x.count else { return }
                for i in 0...start { out[i] = tema.step(x[i]) ?? .nan }
                var e1 = tema.ema1.value, e2 = tema.ema2.value, e3 = tema.ema3.value
                let k = tema.ema1.k
                // The first average is the loop's finiteness check: a non-finite value leaves
                // it NaN or infinite for good (0 < k < 1: an infinity meets its opposite).
                for i in start + 1 ..< x.count {
                    e1 = e1.addingProduct(x[i] - e1, k)
                    e2 = e2.addingProduct(e1 - e2, k)
                    e3 = e3.addingProduct(e2 - e3, k)
                    out[i] = e3 + ((3.0 * e1) - (3.0 * e2))
                }
                check.add(e1)
            }
            if check.failed { try BatchSupport.requireFinite(x) }
            return result
        }
    }
}

extension TEMA: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try update(candle.close) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
