/// One side of an ``OrderBook``: levels keyed by exact price, read best first
/// (`ladder[0]` is the best bid or ask, `ladder.prefix(10)` the top ten).
///
/// Prices are kept as integers on the side's finest decimal scale (`0.3521` at scale 10^-4 is
/// 3521), so searching compares machine integers, and an exact decimal price maps to exactly
/// one key. A finer price than any before rescales the keys once. Storage runs from the worst
/// level to the best, so the best is last: changes near the top of the book (nearly all of
/// them) move few elements, and the search gallops down from the top, costing O(log d)
/// comparisons for a level d places from the best.
public struct BookLadder: Sendable, RandomAccessCollection {
    public let side: BookSide
    private var keys: [Int64] = []  // worst ... best; price = key × 10^scale
    private var sizes: [ExactDecimal] = []
    private var scale: Int16 = 0

    public init(side: BookSide) {
        self.side = side
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { keys.count }

    /// The level `rank` places from the best (0 = best).
    public subscript(rank: Int) -> BookLevel {
        let k = keys.count - 1 - rank
        return BookLevel(price: ExactDecimal(mantissa: keys[k], exponent: scale), size: sizes[k])
    }

    /// The best level, or nil when the side is empty.
    public var best: BookLevel? { isEmpty ? nil : self[0] }

    /// The size resting at `price`, or nil when there is no such level.
    public func size(at price: ExactDecimal) -> ExactDecimal? {
        guard !keys.isEmpty, price.exponent >= scale,
              let key = Self.scaled(price.mantissa, by: Int(price.exponent) - Int(scale)) else { return nil }
        let k = lowerBound(key)
        return k < keys.count && keys[k] == key ? sizes[k] : nil
    }

    /// Sets the level at `price` to `size`; size zero removes it. Returns false, changing
    /// nothing, when the price cannot share integer keys with the side's other prices (more
    /// than 18 digits between the largest and the finest): no real book comes close.
    @discardableResult
    public mutating func set(_ price: ExactDecimal, _ size: ExactDecimal) -> Bool {
        guard let key = key(for: price, inserting: !size.isZero) else { return size.isZero }
        let k = lowerBound(key)
        if k < keys.count, keys[k] == key {
            if size.isZero {
                keys.remove(at: k)
                sizes.remove(at: k)
            } else {
                sizes[k] = size
            }
        } else if !size.isZero {
            keys.insert(key, at: k)
            sizes.insert(size, at: k)
        }
        return true
    }

    /// Replaces every level. Later duplicates of a price win; zero sizes are dropped. Returns
    /// false, leaving the side empty, when the prices cannot share integer keys.
    @discardableResult
    public mutating func replace(with levels: [BookLevel]) -> Bool {
        removeAll()
        let kept = levels.filter { !$0.size.isZero }
        guard let finest = kept.map(\.price.exponent).min() else { return true }
        var entries: [(key: Int64, size: ExactDecimal)] = []
        entries.reserveCapacity(kept.count)
        for level in kept {
            guard let key = Self.scaled(level.price.mantissa, by: Int(level.price.exponent) - Int(finest)) else { return false }
            entries.append((key, level.size))
        }
        // Stable, so among equal prices the later level stays later and wins below.
        entries.sort { side == .bid ? $0.key < $1.key : $0.key > $1.key }
        scale = finest
        keys.reserveCapacity(entries.count)
        sizes.reserveCapacity(entries.count)
        for entry in entries {
            if let last = keys.last, last == entry.key {
                sizes[sizes.count - 1] = entry.size
            } else {
                keys.append(entry.key)
                sizes.append(entry.size)
            }
        }
        return true
    }

    /// Keeps only the best `depth` levels.
    public mutating func truncate(toDepth depth: Int) {
        let excess = keys.count - Swift.max(depth, 0)
        guard excess > 0 else { return }
        keys.removeFirst(excess)
        sizes.removeFirst(excess)
    }

    public mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        sizes.removeAll(keepingCapacity: true)
    }

    /// The key of `price`, rescaling the side when `price` is finer than its scale and is
    /// about to be inserted; nil when it cannot be represented (or, when not inserting, is
    /// finer than every price held, so cannot be among them).
    private mutating func key(for price: ExactDecimal, inserting: Bool) -> Int64? {
        if keys.isEmpty {
            guard inserting else { return nil }
            scale = price.exponent
            return price.mantissa
        }
        if price.exponent >= scale {
            return Self.scaled(price.mantissa, by: Int(price.exponent) - Int(scale))
        }
        guard inserting else { return nil }
        let shift = Int(scale) - Int(price.exponent)
        var rescaled = keys
        for k in rescaled.indices {
            guard let key = Self.scaled(rescaled[k], by: shift) else { return nil }
            rescaled[k] = key
        }
        keys = rescaled
        scale = price.exponent
        return price.mantissa
    }

    /// `value × 10^places`, or nil when that leaves the `Int64` range.
    private static func scaled(_ value: Int64, by places: Int) -> Int64? {
        guard places <= 18 else { return value == 0 ? 0 : nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: ExactDecimal.integerPower(places))
        return overflow ? nil : product
    }

    /// The first storage index whose key is not worse than `key`: the level's index when
    /// present, else where it belongs. Gallops from the best end, then bisects.
    private func lowerBound(_ key: Int64) -> Int {
        keys.withUnsafeBufferPointer { keys in
            let bid = side == .bid
            @inline(__always) func isWorse(_ a: Int64) -> Bool { bid ? a < key : a > key }
            let n = keys.count
            var high = n
            var low = 0
            var step = 1
            while step <= n {
                let probe = n - step
                if isWorse(keys[probe]) {
                    low = probe + 1
                    break
                }
                high = probe
                step &<<= 1
            }
            while low < high {
                let mid = (low + high) >> 1
                if isWorse(keys[mid]) { low = mid + 1 } else { high = mid }
            }
            return low
        }
    }
}

extension BookLadder: Equatable {
    /// Equal when the same side holds the same levels (however their keys are scaled).
    public static func == (lhs: BookLadder, rhs: BookLadder) -> Bool {
        lhs.side == rhs.side && lhs.elementsEqual(rhs)
    }
}
