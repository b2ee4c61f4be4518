/// Simple moving average: the mean of the last `period` values (TA-Lib `SMA`).
///
/// Lookback `period - 1`. Matches TA-Lib's running-sum arithmetic exactly: add the new
/// value, divide, then drop the oldest.
public struct SMA: Sendable {
    public let period: Int
    var window: RingBuffer
    var sum = 0.0
    /// The latest average; NaN during the warm-up.
    public private(set) var value = Double.nan

    /// - Parameter period: 1...100000, as TA-Lib (1 copies the input).
    public init(period: Int = 20) throws(IndicatorError) {
        guard (1...100_000).contains(period) else {
            throw .invalidParameter(indicator: "sma", parameter: "period", value: period, reason: "must be 1...100000")
        }
        self.period = period
        window = RingBuffer(capacity: period)
    }

    public var lookback: Int { period - 1 }

    /// Feeds one value; returns the average once `period` values are in, else nil.

    public mutating func update(_ x: Double) throws(IndicatorError) -> Double? {
        guard x.isFinite else { throw .nonFiniteInput(field: "value", value: x) }
        if let oldest = window.push(x) { sum -= oldest }
        sum += x
        guard window.isFull else { return nil }
        value = sum / Double(period)
        return value
    }

    /// The SMA of a whole series: NaN for the first `period - 1` entries. The same running
    /// sum, in the same order, as `update`: add the newest, divide, drop the oldest.
    public static func batch(_ input: [Double], period: Int = 20) throws(IndicatorError) -> [Double] {
        _ = try SMA(period: period)
        return try input.withUnsafeBufferPointer { (x) throws(IndicatorError) in
            var check = BatchSupport.FiniteCheck()
            let result = BatchSupport.column(x.count) { out in
                let start = BatchSupport.warmUp(out, period - 1)
                let divisor = Double(period)
                var sum = 0.0
                for i in 0..<start {
                    check.add(x[i])
                    sum += x[i]
                }
                // The running sum is the loop's finiteness check: a non-finite value leaves it
                // NaN or infinite for good (an infinity leaving the window gives inf - inf).
                var i = start
                while i < x.count {
                    sum += x[i]
                    out[i] = sum / divisor
                    sum -= x[i &- (period &- 1)]
                    i &+= 1
                }
                check.add(sum)
            }
            if check.failed { try BatchSupport.requireFinite(x) }
            return result
        }
    }
}

extension SMA: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try update(candle.close) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
