/// Momentum, `x − x[period ago]` (TA-Lib `MOM`).
///
/// Lookback `period`.
public struct MOM: Sendable {
    public let period: Int
    var window: RingBuffer
    /// The latest value; NaN during the warm-up.
    public private(set) var value = Double.nan

    /// - Parameter period: 1...100000, as TA-Lib.
    public init(period: Int = 10) throws(IndicatorError) {
        guard (1...100_000).contains(period) else {
            throw .invalidParameter(indicator: "mom", parameter: "period", value: period, reason: "must be 1...100000")
        }
        self.period = period
        window = RingBuffer(capacity: period)
    }

    public var lookback: Int { period }

    /// Feeds one value; returns the momentum once `period + 1` values are in, else nil.
    public mutating func update(_ x: Double) throws(IndicatorError) -> Double? {
        guard x.isFinite else { throw .nonFiniteInput(field: "value", value: x) }
        guard let earlier = window.push(x) else { return nil }
        value = x - earlier
        return value
    }

    /// MOM of a whole series: NaN for the first `period` entries.
    public static func batch(_ input: [Double], period: Int = 10) throws(IndicatorError) -> [Double] {
        _ = try MOM(period: period)
        return try input.withUnsafeBufferPointer { (x) throws(IndicatorError) in
            var check = BatchSupport.FiniteCheck()
            let result = BatchSupport.column(x.count) { out in
                let start = BatchSupport.warmUp(out, period)
                for i in 0..<start { check.add(x[i]) }
                for i in start ..< x.count {
                    check.add(x[i])
                    out[i] = x[i] - x[i &- period]
                }
            }
            if check.failed { try BatchSupport.requireFinite(x) }
            return result
        }
    }
}

extension MOM: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try update(candle.close) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
