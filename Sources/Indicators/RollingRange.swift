/// The highest high and the lowest low of the last `window` candles, with how many candles ago
/// each occurred (the most recent among equals, as TA-Lib's `AROON`, `STOCH` and `WILLR`).
///
/// Van Herk / Gil-Werman in streaming form: the window is split into the tail of the previous
/// block of `window` values, whose suffix extremes were computed when that block completed,
/// and the head of the current block, whose running (prefix) extremes are kept as values
/// arrive. Each push is O(1) amortised (one O(`window`) suffix pass per `window` pushes) with
/// no data-dependent loop, so unlike a monotonic deque it does not stall on branch
/// mispredictions; storage is allocated once, at init.
struct RollingRange: Sendable {
    let window: Int
    /// `[current highs | current lows | suffix highs | suffix lows | suffix high positions |
    /// suffix low positions]`, `window` each; positions are stored as bit patterns, so one
    /// allocation (and one uniqueness check per push) serves both.
    var values: FixedSlots<Double>

    /// `Int` view of the position slots of `values`.
    struct Positions {
        let base: UnsafeMutablePointer<Double>

        @inline(__always)
        subscript(i: Int) -> Int {
            get { Int(truncatingIfNeeded: base[i].bitPattern) }
            nonmutating set { base[i] = Double(bitPattern: UInt64(truncatingIfNeeded: newValue)) }
        }
    }
    /// Index within the current block of the next value.
    var offset = 0
    /// Values pushed so far; the next one has this position.
    var pushed = 0
    var prefixHigh = 0.0
    var prefixHighPosition = 0
    var prefixLow = 0.0
    var prefixLowPosition = 0
    /// The extremes of the window once full.
    private(set) var highest = 0.0
    private(set) var highestPosition = 0
    private(set) var lowest = 0.0
    private(set) var lowestPosition = 0

    init(window: Int) {
        precondition(window > 0, "RollingRange window must be positive")
        self.window = window
        values = FixedSlots<Double>(repeating: 0, count: 6 * window)
    }

    /// True once `window` values have been pushed: `highest` and `lowest` are then valid.
    var isFull: Bool { pushed >= window }

    /// Candles since the highest high: 0 when it is the newest.
    var highestAge: Int { pushed &- 1 &- highestPosition }

    /// Candles since the lowest low: 0 when it is the newest.
    var lowestAge: Int { pushed &- 1 &- lowestPosition }

    mutating func push(high: Double, low: Double) {
        let w = window
        let t = pushed
        let o = offset
        pushed = t &+ 1

        var ph = prefixHigh, php = prefixHighPosition
        var pl = prefixLow, plp = prefixLowPosition
        if o == 0 {
            // A new block: its prefix starts empty (inputs are finite).
            ph = -.infinity
            pl = .infinity
        }
        // Selects rather than branches where the optimizer allows: a price move's direction is
        // a coin flip.
        let newHigh = high >= ph, newLow = low <= pl
        php = newHigh ? t : php
        ph = newHigh ? high : ph
        plp = newLow ? t : plp
        pl = newLow ? low : pl
        prefixHigh = ph
        prefixHighPosition = php
        prefixLow = pl
        prefixLowPosition = plp

        if o == w &- 1 {
            // The block is complete and the window is exactly this block.
            highest = ph
            highestPosition = php
            lowest = pl
            lowestPosition = plp
            offset = 0
            values.withUnsafeMutableBufferPointer { v in
                do {
                    let p = Positions(base: v.baseAddress! + 4 &* w)
                    v[o] = high
                    v[w &+ o] = low
                    // Suffix extremes of this block, newest first; an older value replaces the
                    // incumbent only when strictly better, so ties keep the newest.
                    var sh = high, shp = t, sl = low, slp = t
                    var i = o
                    while true {
                        v[2 &* w &+ i] = sh
                        v[3 &* w &+ i] = sl
                        p[i] = shp
                        p[w &+ i] = slp
                        if i == 0 { break }
                        i &-= 1
                        let x = v[i], y = v[w &+ i], position = t &- (o &- i)
                        let higher = x > sh, lower = y < sl
                        shp = higher ? position : shp
                        sh = higher ? x : sh
                        slp = lower ? position : slp
                        sl = lower ? y : sl
                    }
                }
            }
            return
        }

        offset = o &+ 1
        let full = t >= w
        let (sh, shp, sl, slp) = values.withUnsafeMutableBufferPointer { v in
            do {
                let p = Positions(base: v.baseAddress! + 4 &* w)
                v[o] = high
                v[w &+ o] = low
                // The previous block's part of the window starts at offset o + 1.
                let k = full ? o &+ 1 : 0
                return (v[2 &* w &+ k], p[k], v[3 &* w &+ k], p[w &+ k])
            }
        }
        guard full else { return }
        // The current block holds the newer values: it wins ties.
        let prefixHighWins = ph >= sh, prefixLowWins = pl <= sl
        highest = prefixHighWins ? ph : sh
        highestPosition = prefixHighWins ? php : shp
        lowest = prefixLowWins ? pl : sl
        lowestPosition = prefixLowWins ? plp : slp
    }
}
