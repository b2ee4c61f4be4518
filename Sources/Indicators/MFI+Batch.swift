extension MFI {
    /// The MFI of a whole series: NaN for the first `period` entries.
    ///
    /// The same arithmetic as `step`, in the same order, block by block in several loops: the
    /// block's typical prices with the finiteness check of its inputs, and its money flows (no
    /// dependency between candles: loops that vectorise, the typical price's division with
    /// them), then the running sums (the only recursive part, kept free of other work: with
    /// the check in it as well it ran out of registers, 16 % slower), then the ratios (whose
    /// division vectorises too).
    /// The window's flows are read from a scratch copy of the flows: the block's own after
    /// the last `period` of the previous blocks.
    public static func batch(high: [Double], low: [Double], close: [Double], volume: [Double], period: Int = 14) throws(IndicatorError) -> [Double] {
        RangesSupport.requireSameCount(high.count, low.count, close.count, volume.count)
        let prototype = try MFI(period: period)
        return try high.withUnsafeBufferPointer { (high) throws(IndicatorError) in
            try low.withUnsafeBufferPointer { (low) throws(IndicatorError) in
                try close.withUnsafeBufferPointer { (close) throws(IndicatorError) in
                    try volume.withUnsafeBufferPointer { (volume) throws(IndicatorError) in
                        var check = BatchSupport.FiniteCheck()
                        let result = BatchSupport.column(close.count) { out in
                            check = prototype.fill(high, low, close, volume, out)
                        }
                        if check.failed { try BatchSupport.requireFinite(high: high, low: low, close: close, volume: volume) }
                        return result
                    }
                }
            }
        }
    }

    /// Runs a copy of `self` (fresh) over whole series into `out`; returns the finiteness
    /// check of every input.
    private func fill(_ high: UnsafeBufferPointer<Double>, _ low: UnsafeBufferPointer<Double>, _ close: UnsafeBufferPointer<Double>,
                      _ volume: UnsafeBufferPointer<Double>, _ out: UnsafeMutableBufferPointer<Double>) -> BatchSupport.FiniteCheck
    {
        var check = BatchSupport.FiniteCheck()
        let n = close.count
        // The warm-up through `step` itself, up to the first value.
        var indicator = self
        let ring = indicator.flows.uniqueBase()
        let head = min(period + 1, n)
        for i in 0..<head {
            check.add(high[i], low[i], close[i], volume[i])
            out[i] = indicator.step(high: high[i], low: low[i], close: close[i], volume: volume[i], flows: ring) ?? .nan
        }
        guard head < n else { return check }
        // Blocks of at least `period` candles, so carrying the window's flows over to the next
        // block costs at most one copy per candle.
        let blockSize = max(BatchSupport.blockSize, period)
        let window = period + blockSize
        let rest = withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * window + blockSize + 1) { scratch in
            // A check of its own: the closure's captured `check` would live in memory.
            var check = BatchSupport.FiniteCheck()
            let scratch = scratch.baseAddress!
            // positive[k], negative[k]: the flows of candle `blockStart - period + k`.
            let positive = scratch, negative = scratch + window
            // typical[j]: the typical price of candle `blockStart - 1 + j`; after the flows,
            // the ratio's denominator (the sums' total) of candle `blockStart + j`.
            let typical = scratch + 2 * window
            for j in 0..<period {
                let slot = 2 &* ((indicator.head &+ j) % period)  // oldest first
                positive[j] = ring[slot]
                negative[j] = ring[slot &+ 1]
            }
            var positiveSum = indicator.positiveSum, negativeSum = indicator.negativeSum
            var emptyRun = indicator.emptyRun
            typical[0] = indicator.previousTypical
            BatchSupport.forEachBlock(of: head ..< n, size: blockSize) { block in
                let blockStart = block.lowerBound, count = block.count
                for j in 0..<count {
                    let i = blockStart &+ j
                    check.add(high[i], low[i], close[i], volume[i])
                    typical[j &+ 1] = (high[i] + low[i] + close[i]) / 3.0
                }
                for j in 0..<count {
                    let current = typical[j &+ 1], previous = typical[j]
                    let change = current - previous
                    let scale = abs(current) + abs(previous)
                    // The product taken unconditionally: a load in one arm of the choice
                    // would keep the loop from vectorising.
                    let moneyFlow = current * volume[blockStart &+ j]
                    let flow = RangesSupport.isZero(change, scale: scale) ? 0.0 : moneyFlow
                    positive[period &+ j] = change < 0.0 ? 0.0 : flow
                    negative[period &+ j] = change < 0.0 ? flow : 0.0
                }
                let nextPrevious = typical[count]
                for j in 0..<count {
                    let positiveFlow = positive[period &+ j], negativeFlow = negative[period &+ j]
                    positiveSum -= positive[j]
                    negativeSum -= negative[j]
                    positiveSum += positiveFlow
                    negativeSum += negativeFlow
                    // `flow == 0` in `step`: the flow is one of the two, the other +0.
                    emptyRun = positiveFlow == 0.0 && negativeFlow == 0.0 ? emptyRun &+ 1 : 0
                    if emptyRun >= period {
                        emptyRun = period
                        positiveSum = 0.0
                        negativeSum = 0.0
                    }
                    let total = positiveSum + negativeSum
                    out[blockStart &+ j] = positiveSum < 0.0 ? 0.0 : (positiveSum > total ? total : positiveSum)
                    typical[j] = total
                }
                for j in 0..<count {
                    let total = typical[j]
                    out[blockStart &+ j] = total <= 0.0 ? 0.0 : 100.0 * (out[blockStart &+ j] / total)
                }
                guard block.upperBound < n else { return }
                // The window's flows to the front, for the next block (count >= period: the
                // regions do not overlap).
                positive.update(from: positive + count, count: period)
                negative.update(from: negative + count, count: period)
                typical[0] = nextPrevious
            }
            return check
        }
        check.add(rest)
        return check
    }
}
