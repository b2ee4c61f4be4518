/// The highest high and the lowest low of the last `window` candles, with how many candles ago
/// each occurred (the most recent among equals, as TA-Lib's `AROON`); ``RollingExtremes``
/// serves the indicators that need the values only.
///
/// Van Herk / Gil-Werman in streaming form: the window is split into the tail of the previous
/// block of `window` values, whose suffix extremes were computed when that block completed,
/// and the head of the current block, whose running (prefix) extremes are kept as values
/// arrive. Each push is O(1) amortised (one O(`window`) suffix pass per `window` pushes) with
/// no data-dependent loop, so unlike a monotonic deque it does not stall on branch
/// mispredictions. Positions are kept as doubles (exact below 2^53 pushes), so the selects
/// between candidates stay in floating-point registers.
///
/// The state holds no storage: the owner keeps `slotCount(window:)` doubles in its own
/// ``FixedSlots`` and passes their address to `push`.
struct RollingRange: Sendable {
    let window: Int
    /// Index within the current block of the next value.
    var offset = 0
    /// Position of the next value: the number pushed so far.
    var pushed = 0.0
    var prefixHigh = 0.0
    var prefixHighPosition = 0.0
    var prefixLow = 0.0
    var prefixLowPosition = 0.0
    /// True once `window` values have been pushed: the extremes are then valid.
    private(set) var isFull = false
    /// The extremes of the window once full, and their positions.
    private(set) var highest = 0.0
    private(set) var highestPosition = 0.0
    private(set) var lowest = 0.0
    private(set) var lowestPosition = 0.0

    init(window: Int) {
        precondition(window > 0, "RollingRange window must be positive")
        self.window = window
    }

    /// Doubles of storage `push` uses: `[current highs | current lows | suffix highs |
    /// suffix lows | suffix high positions | suffix low positions]`, `window` each.
    static func slotCount(window: Int) -> Int { 6 * window }

    /// Candles since the highest high: 0 when it is the newest (an exact whole number).
    var highestAge: Double { (pushed - 1) - highestPosition }

    /// Candles since the lowest low: 0 when it is the newest (an exact whole number).
    var lowestAge: Double { (pushed - 1) - lowestPosition }

    @inline(__always)
    mutating func push(high: Double, low: Double, slots v: UnsafeMutablePointer<Double>) {
        let w = window
        let t = pushed
        let o = offset
        pushed = t + 1

        var ph = prefixHigh, php = prefixHighPosition
        var pl = prefixLow, plp = prefixLowPosition
        // A new block's prefix starts with its first value; later, the newer value wins ties.
        // Selects rather than branches where the optimizer allows: a price move's direction is
        // a coin flip.
        let newHigh = o == 0 || high >= ph, newLow = o == 0 || low <= pl
        php = newHigh ? t : php
        ph = newHigh ? high : ph
        plp = newLow ? t : plp
        pl = newLow ? low : pl

        v[o] = high
        v[w &+ o] = low
        if o == w &- 1 {
            // The block is complete and the window is exactly this block.
            isFull = true
            highest = ph
            highestPosition = php
            lowest = pl
            lowestPosition = plp
            offset = 0
            // Suffix extremes of this block, newest first; an older value replaces the
            // incumbent only when strictly better, so ties keep the newest.
            var sh = high, shp = t, sl = low, slp = t
            var i = o
            var position = t
            while true {
                v[2 &* w &+ i] = sh
                v[3 &* w &+ i] = sl
                v[4 &* w &+ i] = shp
                v[5 &* w &+ i] = slp
                if i == 0 { break }
                i &-= 1
                position -= 1
                let x = v[i], y = v[w &+ i]
                let higher = x > sh, lower = y < sl
                shp = higher ? position : shp
                sh = higher ? x : sh
                slp = lower ? position : slp
                sl = lower ? y : sl
            }
            return
        }
        prefixHigh = ph
        prefixHighPosition = php
        prefixLow = pl
        prefixLowPosition = plp
        offset = o &+ 1
        guard isFull else { return }
        // The previous block's part of the window starts at offset o + 1.
        let k = o &+ 1
        let sh = v[2 &* w &+ k], sl = v[3 &* w &+ k], shp = v[4 &* w &+ k], slp = v[5 &* w &+ k]
        // The current block holds the newer values: it wins ties.
        let prefixHighWins = ph >= sh, prefixLowWins = pl <= sl
        highest = prefixHighWins ? ph : sh
        highestPosition = prefixHighWins ? php : shp
        lowest = prefixLowWins ? pl : sl
        lowestPosition = prefixLowWins ? plp : slp
    }
}
