/// Rate of change in percent, `((x / x[period ago]) − 1) × 100` (TA-Lib `ROC`).
///
/// Lookback `period`. As TA-Lib, the value is 0 when the earlier value is exactly 0.
public struct ROC: Sendable {
    public let period: Int
    var window: RingBuffer
    /// The latest value; NaN during the warm-up.
    public private(set) var value = Double.nan

    /// - Parameter period: 1...100000, as TA-Lib.
    public init(period: Int = 10) throws(IndicatorError) {
        guard (1...100_000).contains(period) else {
            throw .invalidParameter(indicator: "roc", parameter: "period", value: period, reason: "must be 1...100000")
        }
        self.period = period
        window = RingBuffer(capacity: period)
    }

    public var lookback: Int { period }

    /// Feeds one value; returns the rate of change once `period + 1` values are in, else nil.
    public mutating func update(_ x: Double) throws(IndicatorError) -> Double? {
        guard x.isFinite else { throw .nonFiniteInput(field: "value", value: x) }
        guard let earlier = window.push(x) else { return nil }
        value = earlier != 0.0 ? ((x / earlier) - 1.0) * 100.0 : 0.0
        return value
    }

    /// ROC of a whole series: NaN for the first `period` entries.
    public static func batch(_ input: [Double], period: Int = 10) throws(IndicatorError) -> [Double] {
        _ = try ROC(period: period)
        return try input.withUnsafeBufferPointer { (x) throws(IndicatorError) in
            var check = BatchSupport.FiniteCheck()
            let result = BatchSupport.column(x.count) { out in
                let start = BatchSupport.warmUp(out, period)
                for i in 0..<start { check.add(x[i]) }
                for i in start ..< x.count {
                    check.add(x[i])
                    let earlier = x[i &- period]
                    out[i] = earlier != 0.0 ? ((x[i] / earlier) - 1.0) * 100.0 : 0.0
                }
            }
            if check.failed { try BatchSupport.requireFinite(x) }
            return result
        }
    }
}

extension ROC: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try update(candle.close) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
