/// Names laid out as NUL-terminated C strings in one buffer, for the shim calls that take a
/// batch of names (interning keys, resolving functions) in one protected call.
struct PackedNames {
    private var bytes: [CChar] = []
    private var offsets: [Int] = []
    private var lengths: [Int] = []

    init(_ names: [String]) {
        for name in names {
            offsets.append(bytes.count)
            lengths.append(name.utf8.count)
            bytes.append(contentsOf: name.utf8.map { CChar(bitPattern: $0) })
            bytes.append(0)
        }
    }

    /// Calls `body` with the names' C string pointers and their byte lengths.
    func withPointers<R>(_ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int>?) -> R) -> R {
        bytes.withUnsafeBufferPointer { bytes in
            let pointers: [UnsafePointer<CChar>?] = offsets.map { bytes.baseAddress! + $0 }
            return pointers.withUnsafeBufferPointer { pointers in
                lengths.withUnsafeBufferPointer { lengths in body(pointers.baseAddress, lengths.baseAddress) }
            }
        }
    }
}
