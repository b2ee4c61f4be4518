/// A fixed-capacity circular buffer of doubles; storage is allocated once, at init.
public struct RingBuffer: Sendable {
var storage: [Double]
var head = 0
    /// Number of values held, at most `capacity`.
    public private(set) var count = 0

    public var capacity: Int { storage.count }

    public init(capacity: Int) {
        precondition(capacity > 0, "RingBuffer capacity must be positive")
        storage = [Double](repeating: 0, count: capacity)
    }

    /// Appends `value`; when full, returns the value it pushed out (else nil).
    @discardableResult
    public mutating func push(_ value: Double) -> Double? {
        let evicted: Double? = count == storage.count ? storage[head] : nil
        storage[head] = value
        head += 1
        if head == storage.count { head = 0 }
        if count < storage.count { count += 1 }
        return evicted
    }

    /// The value `age` steps back: 0 is the newest, `count - 1` the oldest.

    public subscript(age age: Int) -> Double {
        var i = head - 1 - age
        if i < 0 { i += storage.count }
        return storage[i]
    }

    /// True when `capacity` values are held.

    public var isFull: Bool { count == storage.count }
}
