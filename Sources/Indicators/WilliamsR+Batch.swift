extension WilliamsR {
    /// %R of a whole series: NaN for the first `period - 1` entries. The window's extremes
    /// come from ``RollingExtremes/scan(high:low:window:_:)``, equal to `push`'s.
    ///
    /// The scan writes each window's highest high into `out` and its lowest low into a ring of
    /// two chunks; at the end of each chunk, ``percentRs(highest:lowest:close:count:)`` turns
    /// the chunk before it into %R, four entries per instruction (the division is most of the
    /// work, and the scalar one cannot run four times as often). The chunk before, not this
    /// one: its stores have reached the cache by then, where vector loads of stores just made
    /// wait for them to.
    public static func batch(high: [Double], low: [Double], close: [Double], period: Int = 14) throws(IndicatorError) -> [Double] {
        let prototype = try WilliamsR(period: period)
        return try BatchSupport.highLowClose(high, low, close) { high, low, close, out in
            let start = BatchSupport.warmUp(out, prototype.lookback)
            var closeCheck = BatchSupport.FiniteCheck()
            for i in 0..<start { closeCheck.add(close[i]) }
            let chunk = 32, ring = 2 * chunk
            var check = withUnsafeTemporaryAllocation(of: Double.self, capacity: ring) { lows in
                let lows = lows.baseAddress!, out = out.baseAddress!, close = close.baseAddress!, n = high.count
                // %R is written up to `first`. Each call covers entries of one chunk only (from
                // `first` up to a multiple of `chunk`), so they are contiguous in the ring too.
                var first = start
                let check = RollingExtremes.scan(high: high, low: low, window: period) { i, highest, lowest in
                    out[i] = highest
                    lows[i & (ring - 1)] = lowest
                    if i & (chunk - 1) == chunk - 1 {
                        let end = max(first, i &+ 1 &- chunk)
                        closeCheck.add(percentRs(highest: out + first, lowest: lows + (first & (ring - 1)), close: close + first, count: end &- first))
                        first = end
                    }
                }
                // The last chunk or two.
                while first < n {
                    let end = min(n, (first | (chunk - 1)) &+ 1)
                    closeCheck.add(percentRs(highest: out + first, lowest: lows + (first & (ring - 1)), close: close + first, count: end &- first))
                    first = end
                }
                return check
            }
            check.add(closeCheck)
            return check
        }
    }

    /// Overwrites `count` highest highs with the %R of them, the lowest lows and the closes
    /// (`percentR`, lane by lane: the same operations, so the same values); returns the
    /// finiteness check of the closes. Not inlined: in the scan's loop, its vector registers
    /// made the scan's own code spill (measured 25 % slower than the scalar %R).
    @inline(never)
    static func percentRs(highest: UnsafeMutablePointer<Double>, lowest: UnsafePointer<Double>, close: UnsafePointer<Double>,
                          count: Int) -> BatchSupport.FiniteCheck4
    {
        var check = BatchSupport.FiniteCheck4()
        let magnitude = SIMD4<UInt64>(repeating: 0x7FFF_FFFF_FFFF_FFFF)
        let epsilon = SIMD4<Double>(repeating: RangesSupport.epsilon), scale = SIMD4<Double>(repeating: -100)
        @inline(__always) func abs(_ x: SIMD4<Double>) -> SIMD4<Double> {
            unsafeBitCast(unsafeBitCast(x, to: SIMD4<UInt64>.self) & magnitude, to: SIMD4<Double>.self)
        }
        var k = 0
        while k &+ 4 <= count {
            let h = UnsafeRawPointer(highest + k).loadUnaligned(as: SIMD4<Double>.self)
            let l = UnsafeRawPointer(lowest + k).loadUnaligned(as: SIMD4<Double>.self)
            let c = UnsafeRawPointer(close + k).loadUnaligned(as: SIMD4<Double>.self)
            check.add(c)
            let range = h - l
            let flat = abs(range) .<= epsilon * (abs(h) + abs(l))
            let r = ((h - c) / range * scale).replacing(with: 0.0, where: flat)
            UnsafeMutableRawPointer(highest + k).storeBytes(of: r, as: SIMD4<Double>.self)
            k &+= 4
        }
        while k < count {
            check.add(SIMD4(close[k], 0, 0, 0))
            highest[k] = percentR(highest: highest[k], lowest: lowest[k], close: close[k])
            k &+= 1
        }
        return check
    }
}
