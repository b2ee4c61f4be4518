/// A single-output indicator fed high, low and close; gives those indicators one batch loop.
protocol HighLowCloseIndicator {
    mutating func update(high: Double, low: Double, close: Double) throws(IndicatorError) -> Double?
}

extension HighLowCloseIndicator {
    /// Runs a copy of `prototype` over whole series: NaN until its first value.
    static func batch(_ prototype: Self, high: [Double], low: [Double], close: [Double]) throws(IndicatorError) -> [Double] {
        RangesSupport.requireSameCount(high.count, low.count, close.count)
        var out = [Double](repeating: .nan, count: close.count)
        try high.withUnsafeBufferPointer { (high) throws(IndicatorError) in
            try low.withUnsafeBufferPointer { (low) throws(IndicatorError) in
                try close.withUnsafeBufferPointer { (close) throws(IndicatorError) in
                    try out.withUnsafeMutableBufferPointer { (out) throws(IndicatorError) in
                        // A local copy the optimizer can keep in registers across the loop.
                        var indicator = prototype
                        for i in close.indices {
                            if let v = try indicator.update(high: high[i], low: low[i], close: close[i]) { out[i] = v }
                        }
                    }
                }
            }
        }
        return out
    }
}
