extension RollingExtremes {
    /// The highest high and the lowest low of every full window of whole series, for batch
    /// loops: calls `body(i, highest, lowest)` for each `i` from `window - 1` on, in order (the
    /// window ending at `i`), and returns the finiteness check of every input.
    ///
    /// Van Herk / Gil-Werman as `push`, but on the input in place: blocks of `window` values,
    /// each block's suffix extremes computed (in a scratch of `2 × window` doubles) as soon as
    /// the block is read, since the whole series is at hand, so a window is the max/min of one
    /// suffix entry and the running prefix of the current block. No state struct, no ring of
    /// the values and no branch per element beyond the loops'. Maximum and minimum are exact,
    /// so the values equal `push`'s.
    @inline(__always)
    static func scan(high: UnsafeBufferPointer<Double>, low: UnsafeBufferPointer<Double>, window w: Int,
                     _ body: (Int, Double, Double) -> Void) -> BatchSupport.FiniteCheck
    {
        var check = BatchSupport.FiniteCheck()
        let n = high.count
        guard n >= w, w > 1 else {
            for i in 0..<n {
                check.add(high[i], low[i])
                if w == 1 { body(i, high[i], low[i]) }
            }
            return check
        }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * w) { scratch in
            // Suffix extremes of the previous block: offset t holds those of its values t..<w.
            let suffixHigh = scratch.baseAddress!, suffixLow = suffixHigh + w
            BatchSupport.forEachBlock(of: 0..<n, size: w) { block in
                let b = block.lowerBound, e = block.upperBound
                var ph = high[b], pl = low[b]
                check.add(ph, pl)
                if b == 0 {
                    // The first window is the first block.
                    for i in 1..<w {
                        check.add(high[i], low[i])
                        ph = max(ph, high[i])
                        pl = min(pl, low[i])
                    }
                    body(w - 1, ph, pl)
                } else {
                    // The window ending at i is the previous block from offset i - b + 1 on,
                    // plus this block up to i; the block's last index has a window of its own.
                    // Operands in `push`'s order, so a tie between -0 and +0 keeps the same zero.
                    var i = b
                    let partialEnd = min(e, b + w - 1)
                    while true {
                        body(i, max(ph, suffixHigh[i &- b &+ 1]), min(pl, suffixLow[i &- b &+ 1]))
                        i &+= 1
                        guard i < partialEnd else { break }
                        check.add(high[i], low[i])
                        ph = max(ph, high[i])
                        pl = min(pl, low[i])
                    }
                    if e == b + w {
                        check.add(high[i], low[i])
                        ph = max(ph, high[i])
                        pl = min(pl, low[i])
                        body(i, ph, pl)
                    }
                }
                if e == b + w, e < n {
                    var sh = high[e &- 1], sl = low[e &- 1]
                    var t = w &- 1
                    while true {
                        suffixHigh[t] = sh
                        suffixLow[t] = sl
                        guard t > 0 else { break }
                        t &-= 1
                        sh = max(sh, high[b &+ t])
                        sl = min(sl, low[b &+ t])
                    }
                }
            }
        }
        return check
    }
}
