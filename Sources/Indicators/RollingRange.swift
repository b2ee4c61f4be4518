/// The highest high and the lowest low of the last `window` candles, with how many candles ago
/// each occurred (the most recent among equals, as TA-Lib's `AROON`); ``RollingExtremes``
/// serves the indicators that need the values only.
///
/// Van Herk / Gil-Werman in streaming form: the window is split into the tail of the previous
/// block of `window` values, whose suffix extremes were computed when that block completed,
/// and the head of the current block, whose running (prefix) extremes are kept as values
/// arrive. Each push is O(1) amortised (one O(`window`) suffix pass per `window` pushes) with
/// no data-dependent loop, so unlike a monotonic deque it does not stall on branch
/// mispredictions.
///
/// The high and the negated low are the two lanes of one vector, so that both are "the
/// greatest so far" and one comparison serves both; their positions are the lanes of another.
/// Every choice is then a lane mask, not a branch: a price move's direction is a coin flip,
/// and as scalar choices they became branches (12 ns per update on a random walk against 6.6
/// on a repeated series). Negation is exact, so the values are those of scalar code.
/// Positions are kept as doubles (exact below 2^53 pushes).
///
/// The state holds no storage: the owner keeps `slotCount(window:)` doubles in its own
/// ``FixedSlots`` and passes their address to `push`.
struct RollingRange: Sendable {
    let window: Int
    /// Index within the current block of the next value.
    var offset = 0
    /// Position of the next value: the number pushed so far.
    var pushed = 0.0
    /// The current block's running extremes, (highest high, -lowest low); -infinity before its
    /// first value, which therefore always replaces them.
    var prefix = SIMD2<Double>(repeating: -.infinity)
    /// Their positions.
    var prefixPosition = SIMD2<Double>()
    /// True once `window` values have been pushed: the extremes are then valid.
    private(set) var isFull = false
    /// The window's extremes once full, (highest high, -lowest low), and their positions.
    var extremes = SIMD2<Double>()
    var extremesPosition = SIMD2<Double>()

    init(window: Int) {
        precondition(window > 0, "RollingRange window must be positive")
        self.window = window
    }

    /// Doubles of storage `push` needs: the block's highs and lows, then its suffix extremes
    /// and their positions, as lane pairs.
    static func slotCount(window: Int) -> Int { 6 * window }

    /// Candles since the window's highest high (0: the latest).
    var highestAge: Double { (pushed - 1) - extremesPosition[0] }

    /// Candles since the window's lowest low (0: the latest).
    var lowestAge: Double { (pushed - 1) - extremesPosition[1] }

    @inline(__always)
    mutating func push(high: Double, low: Double, slots v: UnsafeMutablePointer<Double>) {
        let w = window
        let t = pushed
        let o = offset
        pushed = t + 1

        let value = SIMD2(high, -low), position = SIMD2<Double>(repeating: t)
        // Later in the block, the newer value wins ties.
        let newer = value .>= prefix
        let p = prefix.replacing(with: value, where: newer)
        let pp = prefixPosition.replacing(with: position, where: newer)

        v[o] = high
        v[w &+ o] = low
        // Suffix extremes at slot pairs 2w + 2i, their positions at 4w + 2i.
        let suffix = UnsafeMutableRawPointer(v + 2 &* w), suffixPosition = UnsafeMutableRawPointer(v + 4 &* w)
        if o == w &- 1 {
            // The block is complete and the window is exactly this block.
            isFull = true
            extremes = p
            extremesPosition = pp
            offset = 0
            prefix = SIMD2(repeating: -.infinity)
            // Suffix extremes of this block, newest first; an older value replaces the
            // incumbent only when strictly better, so ties keep the newest.
            var s = value, sp = position
            var i = o
            var at = t
            while true {
                suffix.storeBytes(of: s, toByteOffset: 16 &* i, as: SIMD2<Double>.self)
                suffixPosition.storeBytes(of: sp, toByteOffset: 16 &* i, as: SIMD2<Double>.self)
                if i == 0 { break }
                i &-= 1
                at -= 1
                let x = SIMD2(v[i], -v[w &+ i])
                let better = x .> s
                s = s.replacing(with: x, where: better)
                sp = sp.replacing(with: SIMD2(repeating: at), where: better)
            }
            return
        }
        prefix = p
        prefixPosition = pp
        offset = o &+ 1
        guard isFull else { return }
        // The previous block's part of the window starts at offset o + 1. The current block
        // holds the newer values: it wins ties.
        let k = 16 &* (o &+ 1)
        let s = UnsafeRawPointer(suffix).loadUnaligned(fromByteOffset: k, as: SIMD2<Double>.self)
        let sp = UnsafeRawPointer(suffixPosition).loadUnaligned(fromByteOffset: k, as: SIMD2<Double>.self)
        let prefixWins = p .>= s
        extremes = s.replacing(with: p, where: prefixWins)
        extremesPosition = sp.replacing(with: pp, where: prefixWins)
    }
}
