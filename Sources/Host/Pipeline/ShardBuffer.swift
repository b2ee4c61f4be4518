/// A growable run of shard inputs that hands each one out by moving it, never copying:
/// a ``ShardQueue`` fills one while its shard drains the other, and they swap.
///
/// `Array` would copy every input once on the way out and destroy it again on `removeAll`;
/// for market events (an enum of enums holding strings and decimals) that generic copy and
/// destroy cost a tenth of a shard's time per event.
final class ShardBuffer {
    private var base: UnsafeMutablePointer<ShardInput>
    private var capacity: Int
    /// Inputs held, at `base[0..<count]`.
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    /// Appends `input`, moving it in; grows when full (control inputs may exceed the queue's bound).
    @inline(__always)
    func append(_ input: consuming ShardInput) {
        if count == capacity { grow() }
        (base + count).initialize(to: input)
        count += 1
    }

    /// Hands every input to `body` in order, moving each out, and leaves the buffer empty.
    @inline(__always)
    func drain(_ body: (consuming ShardInput) -> Void) {
        let n = count
        count = 0
        for i in 0..<n { body((base + i).move()) }
    }

    private func grow() {
        let larger = UnsafeMutablePointer<ShardInput>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = larger
        capacity *= 2
    }
}
