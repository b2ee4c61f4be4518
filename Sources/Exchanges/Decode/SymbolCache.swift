/// Remembers native-to-canonical translations, so a decoder maps each symbol name once and
/// then finds it again from the frame's bytes without building a string or hashing one.
///
/// Names up to 16 bytes live in a small direct-mapped table compared as two machine words;
/// longer names, or names with escapes, take a dictionary.
struct SymbolCache<Mapping: NativeSymbolMapping>: Sendable {
    let mapping: Mapping
    private var slots = [Slot](repeating: Slot(), count: SymbolCache.slotCount)
    private var long: [String: CanonicalSymbol] = [:]

    private static var slotCount: Int { 64 }
    /// Long names kept before the dictionary starts over (bounds memory if a feed sends junk).
    private static var longCapacity: Int { 1024 }

    private struct Slot: Sendable {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var length = 0  // 0: empty
        var symbol = CanonicalSymbol(base: "", quote: "")
    }

    init(_ mapping: Mapping) {
        self.mapping = mapping
    }

    /// The canonical symbol for the string `value`; throws naming `field` when it is not one.
    mutating func canonical(_ document: JSONDocument, _ value: JSONValue, _ field: StaticString) throws(FieldError) -> CanonicalSymbol {
        guard document.kind(value) == .string else {
            throw FieldError(field, "expected a symbol string, found \(document.kind(value).name)")
        }
        if document.tokens[value.index].hasEscapes {
            return try canonical(document.string(value) ?? "", field)
        }
        return try canonical(document.rawBytes(value), field)
    }

    /// The canonical symbol for a native name given as UTF-8 bytes.
    mutating func canonical(_ name: UnsafeRawBufferPointer, _ field: StaticString) throws(FieldError) -> CanonicalSymbol {
        guard name.count <= 16, !name.isEmpty else {
            return try canonical(String(decoding: name, as: UTF8.self), field)
        }
        var low: UInt64 = 0
        var high: UInt64 = 0
        for (k, byte) in name.enumerated() {
            if k < 8 { low |= UInt64(byte) << (8 * k) } else { high |= UInt64(byte) << (8 * (k - 8)) }
        }
        let index = Int(truncatingIfNeeded: ((low &* 0x9E37_79B9_7F4A_7C15) ^ (high &* 0xC2B2_AE3D_27D4_EB4F) ^ UInt64(name.count)) >> 58)
        let slot = slots[index]
        if slot.length == name.count, slot.low == low, slot.high == high { return slot.symbol }
        let symbol = try translate(String(decoding: name, as: UTF8.self), field)
        slots[index] = Slot(low: low, high: high, length: name.count, symbol: symbol)
        return symbol
    }

    /// The canonical symbol for a native name; throws naming `field` when it is not one.
    mutating func canonical(_ native: String, _ field: StaticString) throws(FieldError) -> CanonicalSymbol {
        if let symbol = long[native] { return symbol }
        let symbol = try translate(native, field)
        if long.count >= Self.longCapacity { long.removeAll(keepingCapacity: true) }
        long[native] = symbol
        return symbol
    }

    private func translate(_ native: String, _ field: StaticString) throws(FieldError) -> CanonicalSymbol {
        guard let symbol = mapping.canonical(native: native) else {
            throw FieldError(field, "'\(native.prefix(40))' is not a symbol this exchange's mapping can read")
        }
        return symbol
    }
}
