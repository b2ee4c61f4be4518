/// CRC-32 as zlib computes it (IEEE 802.3, reflected polynomial 0xEDB88320), fed one byte at a
/// time from a 256-entry table.
struct CRC32: Sendable {
    private var state: UInt32 = 0xFFFF_FFFF

    /// The checksum of the bytes fed so far.
    var value: UInt32 { ~state }

    @inline(__always)
    mutating func update(_ byte: UInt8) {
        state = Self.table[Int(UInt8(truncatingIfNeeded: state) ^ byte)] ^ (state >> 8)
    }

    private static let table: [UInt32] = (0..<256).map { (n: UInt32) in
        var c = n
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }
}
