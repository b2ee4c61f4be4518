/// Fixed-size storage for the indicators' windows: one allocation at init, with
/// copy-on-write value semantics (copying an indicator and updating both keeps them
/// independent) but without `Array`'s bounds checks and out-of-line paths on every access.
///
/// An indicator asks for `uniqueBase()` once per update, first thing (the uniqueness check is
/// a runtime call, cheapest before any price is held in a register), and its window state
/// (``RollingExtremes``, ``RollingRange``, its own ring indices) works through that address.
/// A batch loop asks once for the whole series.
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

    /// The first slot, made unique (copied if shared) for writing: one uniqueness check for a
    /// whole update. The pointer is valid until `self` is next copied, reassigned or destroyed,
    /// so callers use it within the mutating method that obtained it.
    @inline(__always)
    mutating func uniqueBase() -> UnsafeMutablePointer<Element> {
        makeUnique()
        return box.base
    }
}
