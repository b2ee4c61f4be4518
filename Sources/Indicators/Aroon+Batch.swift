extension Aroon {
    /// Aroon down and up of a whole series: NaN for the first `period` entries.
    public static func batch(high: [Double], low: [Double], period: Int = 14) throws(IndicatorError) -> (down: [Double], up: [Double]) {
        RangesSupport.requireSameCount(high.count, low.count)
        let prototype = try Aroon(period: period)
        return try high.withUnsafeBufferPointer { (high) throws(IndicatorError) in
            try low.withUnsafeBufferPointer { (low) throws(IndicatorError) in
                var check = BatchSupport.FiniteCheck()
                let result = BatchSupport.columns(high.count) { down, up in
                    check = scan(high: high, low: low, window: prototype.period + 1, factor: prototype.factor,
                                 span: prototype.span, down: down, up: up)
                }
                if check.failed { try BatchSupport.requireFinite(high: high, low: low) }
                return result
            }
        }
    }

    /// Fills `down` and `up` (NaN during the warm-up) and returns the finiteness check of
    /// every input.
    ///
    /// ``RollingRange``'s Van Herk / Gil-Werman with positions, as
    /// ``RollingExtremes/scan(high:low:window:_:)`` does for the values: on the input in place,
    /// blocks of `window` candles, each block's suffix extremes and their positions computed
    /// (in a scratch of `4 × window` doubles) as soon as the block is read, so a window is one
    /// suffix entry against the running prefix of the current block. Ties resolve as in
    /// `push`: the newer value wins within the prefix and against the suffix, an older one
    /// replaces the suffix incumbent only when strictly better. The ages are the same exact
    /// whole numbers as streaming's, so the outputs are bit-identical.
    ///
    /// An output is `factor * (position - (index - span))`: the same whole number as
    /// streaming's `span - age`, hence the same product.
    @inline(__always)
    static func scan(high: UnsafeBufferPointer<Double>, low: UnsafeBufferPointer<Double>, window w: Int,
                     factor: Double, span: Double,
                     down: UnsafeMutableBufferPointer<Double>, up: UnsafeMutableBufferPointer<Double>) -> BatchSupport.FiniteCheck
    {
        var check = BatchSupport.FiniteCheck()
        let n = high.count
        BatchSupport.warmUp(down, up, count: w - 1)
        guard n >= w else {
            for i in 0..<n { check.add(high[i], low[i]) }
            return check
        }
        let down = down.baseAddress!, up = up.baseAddress!
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 4 * w) { scratch in
            // The previous block's suffix extremes: offset t holds those of its values t..<w,
            // and their positions.
            let suffixHigh = scratch.baseAddress!, suffixHighAt = suffixHigh + w
            let suffixLow = suffixHigh + 2 * w, suffixLowAt = suffixHigh + 3 * w
            // A loop of its own rather than `BatchSupport.forEachBlock`, which measured 2-3 %
            // slower here (window-sized blocks, many of them).
            var b = 0
            while b < n {
                let e = min(b + w, n)
                var prefix = BlockPrefix(high: high[b], low: low[b], at: Double(b), span: span)
                check.add(prefix.high, prefix.low)
                if b == 0 {
                    // The first window is the first block.
                    for i in 1..<w { prefix.advance(high: high[i], low: low[i], check: &check) }
                    up[w - 1] = factor * (prefix.highAt - prefix.from)
                    down[w - 1] = factor * (prefix.lowAt - prefix.from)
                } else {
                    // The window ending at i is the previous block from offset i - b + 1 on,
                    // plus this block up to i, which wins ties; the block's last index has a
                    // window of its own.
                    var i = b
                    let partialEnd = min(e, b + w - 1)
                    while true {
                        let k = i &- b &+ 1
                        let highWins = prefix.high >= suffixHigh[k], lowWins = prefix.low <= suffixLow[k]
                        up[i] = factor * ((highWins ? prefix.highAt : suffixHighAt[k]) - prefix.from)
                        down[i] = factor * ((lowWins ? prefix.lowAt : suffixLowAt[k]) - prefix.from)
                        i &+= 1
                        guard i < partialEnd else { break }
                        prefix.advance(high: high[i], low: low[i], check: &check)
                    }
                    if e == b + w {
                        prefix.advance(high: high[i], low: low[i], check: &check)
                        up[i] = factor * (prefix.highAt - prefix.from)
                        down[i] = factor * (prefix.lowAt - prefix.from)
                    }
                }
                if e == b + w, e < n {
                    // Newest first; an older value replaces the incumbent only when strictly
                    // better, so ties keep the newest.
                    var t = w &- 1
                    var sh = high[b &+ t], sl = low[b &+ t]
                    var position = Double(b &+ t)
                    var shp = position, slp = position
                    while true {
                        suffixHigh[t] = sh
                        suffixLow[t] = sl
                        suffixHighAt[t] = shp
                        suffixLowAt[t] = slp
                        guard t > 0 else { break }
                        t &-= 1
                        position -= 1
                        let x = high[b &+ t], y = low[b &+ t]
                        let higher = x > sh, lower = y < sl
                        shp = higher ? position : shp
                        sh = higher ? x : sh
                        slp = lower ? position : slp
                        sl = lower ? y : sl
                    }
                }
                b = e
            }
        }
        return check
    }
}

/// The running extremes of the candles read so far from the current block (a window's
/// prefix in ``Aroon/scan(high:low:window:factor:span:down:up:)``), with their positions.
private struct BlockPrefix {
    var high: Double
    var low: Double
    /// Positions (candle indices, as doubles) of `high` and `low`.
    var highAt: Double
    var lowAt: Double
    /// Position of the latest candle read, and that minus the span: an output's age is taken
    /// from `from`.
    var at: Double
    var from: Double

    /// The block's first candle, at position `at`.
    @inline(__always) init(high: Double, low: Double, at: Double, span: Double) {
        self.high = high
        self.low = low
        highAt = at
        lowAt = at
        self.at = at
        from = at - span
    }

    /// Takes in the block's next candle (checked for finiteness into `check`): the newer
    /// value wins ties, as in streaming.
    @inline(__always) mutating func advance(high x: Double, low y: Double, check: inout BatchSupport.FiniteCheck) {
        check.add(x, y)
        at += 1
        from += 1
        let newHigh = x >= high, newLow = y <= low
        highAt = newHigh ? at : highAt
        high = newHigh ? x : high
        lowAt = newLow ? at : lowAt
        low = newLow ? y : low
    }
}
