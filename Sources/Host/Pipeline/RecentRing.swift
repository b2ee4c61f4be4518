/// The last `capacity` values appended, newest first by age; storage allocated once at init,
/// so appending never allocates.
public struct RecentRing<Element: Sendable>: Sendable {
    private var storage: [Element]
    private var head = 0  // where the next value goes
    /// Values held, at most `capacity`.
    public private(set) var count = 0
    /// Values appended since creation (including those pushed out).
    public private(set) var appended: UInt64 = 0

    /// A ring of `capacity` (at least 1) slots, filled with `filler` until used.
    public init(capacity: Int, filler: Element) {
        storage = [Element](repeating: filler, count: max(1, capacity))
    }

    public var capacity: Int { storage.count }

    @inline(__always)
    public mutating func append(_ value: Element) {
        storage[head] = value
        head += 1
        if head == storage.count { head = 0 }
        if count < storage.count { count += 1 }
        appended &+= 1
    }

    /// The value `age` steps back: 0 is the newest, `count - 1` the oldest.
    public subscript(age age: Int) -> Element {
        precondition(age >= 0 && age < count, "age \(age) outside 0..<\(count)")
        var i = head - 1 - age
        if i < 0 { i += storage.count }
        return storage[i]
    }

    /// The newest value, nil when empty.
    public var newest: Element? { count == 0 ? nil : self[age: 0] }

    /// The values held, oldest first (allocates; for reads outside the hot path).
    public var oldestFirst: [Element] { (0..<count).reversed().map { self[age: $0] } }
}
