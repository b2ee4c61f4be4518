/// Fixed-size storage for the indicators' windows: one allocation at init, with
/// copy-on-write value semantics (copying an indicator and updating both keeps them
/// independent) but without `Array`'s bounds checks and out-of-line paths on every access.
struct FixedSlots<Element: BitwiseCopyable>: @unchecked Sendable {
    final class Box {
        let base: UnsafeMutablePointer<Element>
        let count: Int

        init(count: Int, repeating value: Element) {
            self.count = count
            base = .allocate(capacity: count)
            base.initialize(repeating: value, count: count)
        }

        init(copying other: Box) {
            count = other.count
            base = .allocate(capacity: count)
            base.initialize(from: other.base, count: count)
        }

        deinit { base.deallocate() }
    }

    private var box: Box

    init(repeating value: Element, count: Int) {
        precondition(count > 0, "FixedSlots count must be positive")
        box = Box(count: count, repeating: value)
    }

    var count: Int { box.count }

    @inline(__always)
    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&box) { copyBox() }
    }

    @inline(never)
    private mutating func copyBox() { box = Box(copying: box) }

    @inline(__always)
    subscript(i: Int) -> Element {
        get {
            assert(i >= 0 && i < box.count)
            return box.base[i]
        }
        set {
            assert(i >= 0 && i < box.count)
            makeUnique()
            box.base[i] = newValue
        }
    }

    /// Unique, writable access to all slots.
    @inline(__always)
    mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Element>) throws -> R) rethrows -> R {
        makeUnique()
        return try body(UnsafeMutableBufferPointer(start: box.base, count: box.count))
    }

    /// Read-only access to all slots, in slot order.
    @inline(__always)
    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        try withExtendedLifetime(box) { try body(UnsafeBufferPointer(start: box.base, count: box.count)) }
    }
}
