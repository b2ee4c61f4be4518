extension Kraken {
    /// A pair's decimal places, from the `instrument` channel or REST `AssetPairs`
    /// (`price_precision`, `qty_precision`). The book checksum depends on them.
    public struct Precision: Sendable, Hashable {
        public var price: Int
        public var quantity: Int

        public init(price: Int, quantity: Int) {
            self.price = price
            self.quantity = quantity
        }
    }

    /// Kraken's v2 book checksum: the CRC32 of the top ten asks (lowest first) then the top ten
    /// bids (highest first), each level spelled as price then quantity, formatted to the pair's
    /// precision with the point removed and leading zeros dropped (`0.5660` → `5660`).
    public enum Checksum {
        /// Levels per side the checksum covers.
        public static let levels = 10

        public static func compute(_ book: OrderBook, precision: Precision) -> UInt32 {
            var crc = CRC32()
            for level in book.asks.prefix(levels) { add(level, precision, to: &crc) }
            for level in book.bids.prefix(levels) { add(level, precision, to: &crc) }
            return crc.value
        }

        private static func add(_ level: BookLevel, _ precision: Precision, to crc: inout CRC32) {
            level.price.forEachScaledDigit(places: precision.price) { crc.update($0) }
            level.size.forEachScaledDigit(places: precision.quantity) { crc.update($0) }
        }
    }
}
