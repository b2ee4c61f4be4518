import CLua

/// A fixed-capacity ring of rows of doubles (candles or trades) that Lua reads directly: the
/// `ctx.history(n)` and `ctx.trades(n)` functions are C closures over the `chloe_series`
/// header this buffer keeps current, so a read costs no Swift call and appending costs no
/// allocation.
final class SeriesBuffer {
    let header: UnsafeMutablePointer<chloe_series>
    private let values: UnsafeMutablePointer<Double>
    let capacity: Int
    let columns: Int

    /// - Parameters:
    ///   - names: column names as C strings that live as long as the process.
    ///   - sideColumn: the column pushed to Lua as "buy"/"sell", or -1.
    init(capacity: Int, names: UnsafePointer<UnsafePointer<CChar>?>, columns: Int, sideColumn: Int32 = -1) {
        self.capacity = max(1, capacity)
        self.columns = columns
        values = .allocate(capacity: self.capacity * columns)
        values.initialize(repeating: 0, count: self.capacity * columns)
        header = .allocate(capacity: 1)
        header.initialize(to: chloe_series(values: values, capacity: Int32(self.capacity), count: 0, head: 0,
                                           columns: Int32(columns), names: names, side_column: sideColumn))
    }

    deinit {
        values.deallocate()
        header.deallocate()
    }

    /// Rows held (at most `capacity`).
    var count: Int { Int(header.pointee.count) }

    /// Rows ever appended (the oldest held is number `appended - count`).
    private(set) var appended = 0

    /// Appends a row, dropping the oldest when full; `fill` writes the row's `columns` values.
    @inline(__always)
    func append(_ fill: (UnsafeMutablePointer<Double>) -> Void) {
        var head = Int(header.pointee.head)
        var count = Int(header.pointee.count)
        var slot: Int
        if count < capacity {
            slot = head + count
            if slot >= capacity { slot -= capacity }
            count += 1
        } else {
            slot = head
            head += 1
            if head == capacity { head = 0 }
        }
        fill(values + slot * columns)
        header.pointee.head = Int32(head)
        header.pointee.count = Int32(count)
        appended += 1
    }

    /// The row `age` rows back from the newest (0 = newest).
    func row(age: Int) -> UnsafePointer<Double>? {
        guard age >= 0, age < count else { return nil }
        let slot = (Int(header.pointee.head) + count - 1 - age) % capacity
        return UnsafePointer(values + slot * columns)
    }

    /// Column names for candle rows, as Lua sees them.
    nonisolated(unsafe) static let candleColumns = cStrings(["time", "open", "high", "low", "close", "volume"])
    /// Column names for trade rows; column 3 is the side.
    nonisolated(unsafe) static let tradeColumns = cStrings(["time", "price", "size", "side"])

    private static func cStrings(_ names: [String]) -> UnsafePointer<UnsafePointer<CChar>?> {
        let array = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: names.count)
        for (index, name) in names.enumerated() { array[index] = UnsafePointer(strdup(name)) }
        return UnsafePointer(array)
    }
}
