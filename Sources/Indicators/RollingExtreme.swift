/// The highest (or lowest) of the last `window` values, in O(1) amortised time per update
/// and without allocation after init (a monotonic deque in fixed ring storage).
///
/// Among equal values the most recent wins, so `age` points at the newest extreme.
public struct RollingExtreme: Sendable {
    /// Which extreme to keep.
    public enum Kind: Sendable { case highest, lowest }

    public let window: Int
    public let kind: Kind
    var values: FixedSlots<Double>
    var positions: FixedSlots<Int>
    var front = 0
    var size = 0
    /// Number of values pushed so far.
    public private(set) var pushed = 0

    public init(window: Int, kind: Kind) {
        precondition(window > 0, "RollingExtreme window must be positive")
        self.window = window
        self.kind = kind
        values = FixedSlots<Double>(repeating: 0, count: window)
        positions = FixedSlots<Int>(repeating: 0, count: window)
    }

    /// Pushes `x` as the newest value of the window.
    public mutating func push(_ x: Double) {
        let position = pushed
        pushed += 1
        // Drop the front if it left the window.
        if size > 0, positions[front] <= position - window {
            front = front + 1 == window ? 0 : front + 1
            size -= 1
        }
        // Drop from the back everything the new value dominates (ties: the newer one wins).
        while size > 0 {
            var back = front + size - 1
            if back >= window { back -= window }
            let dominated = kind == .highest ? values[back] <= x : values[back] >= x
            guard dominated else { break }
            size -= 1
        }
        var slot = front + size
        if slot >= window { slot -= window }
        values[slot] = x
        positions[slot] = position
        size += 1
    }

    /// The extreme of the window; meaningless before the first push.
    public var value: Double { values[front] }

    /// How many pushes ago the extreme arrived: 0 means it is the newest value.
    public var age: Int { pushed - 1 - positions[front] }

    /// True once `window` values have been pushed.
    public var isFull: Bool { pushed >= window }
}
