/// A single-output indicator fed high, low and close; gives those indicators one batch loop.
protocol HighLowCloseIndicator {
    /// What `step` writes through: the address of the indicator's window storage, or `Void`
    /// for an indicator without one.
    associatedtype Slots
    /// The storage made unique once, for a whole batch loop (no check per element).
    mutating func uniqueSlots() -> Slots
    /// One update of inputs already known to be finite.
    mutating func step(high: Double, low: Double, close: Double, slots: Slots) -> Double?
}

extension HighLowCloseIndicator where Slots == Void {
    func uniqueSlots() {}
}

extension HighLowCloseIndicator {
    /// Runs a copy of `prototype` over whole series: NaN until its first value. Each element
    /// goes through the same `step` as the streaming `update`, on a local copy, so the values
    /// are bit-identical; the inputs are validated in the same loop.
    static func batch(_ prototype: Self, high: [Double], low: [Double], close: [Double]) throws(IndicatorError) -> [Double] {
        try BatchSupport.highLowClose(high, low, close) { high, low, close, out in
            // A local copy the optimizer can keep in registers across the loop; it is not
            // copied again, so its storage stays unique.
            var indicator = prototype
            var check = BatchSupport.FiniteCheck()
            let slots = indicator.uniqueSlots()
            for i in 0..<close.count {
                check.add(high[i], low[i], close[i])
                out[i] = indicator.step(high: high[i], low: low[i], close: close[i], slots: slots) ?? .nan
            }
            return check
        }
    }
}
