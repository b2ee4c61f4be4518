/// Typed reads of fields, throwing ``FieldError`` naming the field and what was wrong.
extension JSONDocument {
    /// The value of `key`; throws when it is missing.
    func required(_ object: JSONValue, _ key: StaticString) throws(FieldError) -> JSONValue {
        guard let value = member(object, key) else { throw FieldError(key, "is missing") }
        return value
    }

    /// The value of `key`; nil when it is missing or null.
    func optional(_ object: JSONValue, _ key: StaticString) -> JSONValue? {
        guard let value = member(object, key), kind(value) != .null else { return nil }
        return value
    }

    /// An exact decimal from a decimal string (`"0.3521"`) or a JSON number (Kraken).
    func decimal(_ value: JSONValue, _ field: StaticString) throws(FieldError) -> ExactDecimal {
        let kind = kind(value)
        guard kind == .string || kind == .number else {
            throw FieldError(field, "expected a decimal string or number, found \(kind.name)")
        }
        do {
            return try ExactDecimal.parse(rawBytes(value))
        } catch {
            throw FieldError(field, "'\(excerpt(value))' \(error.reason)")
        }
    }

    func requiredDecimal(_ object: JSONValue, _ key: StaticString) throws(FieldError) -> ExactDecimal {
        try decimal(required(object, key), key)
    }

    func optionalDecimal(_ object: JSONValue, _ key: StaticString) throws(FieldError) -> ExactDecimal? {
        guard let value = optional(object, key) else { return nil }
        return try decimal(value, key)
    }

    /// A non-negative integer from a JSON number or a string of digits (KuCoin sends
    /// sequences as strings, Kraken's connection id exceeds `Int64`).
    func unsigned(_ value: JSONValue, _ field: StaticString) throws(FieldError) -> UInt64 {
        let kind = kind(value)
        guard kind == .string || kind == .number else {
            throw FieldError(field, "expected an integer, found \(kind.name)")
        }
        let raw = rawBytes(value)
        var result: UInt64 = 0
        for c in raw {
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else {
                throw FieldError(field, "'\(excerpt(value))' is not a non-negative integer")
            }
            let (shifted, o1) = result.multipliedReportingOverflow(by: 10)
            let (sum, o2) = shifted.addingReportingOverflow(UInt64(c - UInt8(ascii: "0")))
            guard !o1, !o2 else { throw FieldError(field, "'\(excerpt(value))' exceeds the 64-bit range") }
            result = sum
        }
        guard !raw.isEmpty else { throw FieldError(field, "is an empty string, expected an integer") }
        return result
    }

    func requiredUnsigned(_ object: JSONValue, _ key: StaticString) throws(FieldError) -> UInt64 {
        try unsigned(required(object, key), key)
    }

    func optionalUnsigned(_ object: JSONValue, _ key: StaticString) throws(FieldError) -> UInt64? {
        guard let value = optional(object, key) else { return nil }
        return try unsigned(value, key)
    }

    /// Epoch milliseconds from an integer field.
    func optionalMilliseconds(_ object: JSONValue, _ key: StaticString) throws(FieldError) -> Int64? {
        guard let value = optional(object, key) else { return nil }
        let ms = try unsigned(value, key)
        guard ms <= UInt64(Int64.max) else { throw FieldError(key, "is out of range for a time") }
        return Int64(ms)
    }

    /// Epoch milliseconds from an RFC 3339 timestamp string.
    func optionalTimestamp(_ object: JSONValue, _ key: StaticString) throws(FieldError) -> Int64? {
        guard let value = optional(object, key) else { return nil }
        guard kind(value) == .string, let ms = RFC3339.milliseconds(rawBytes(value)) else {
            throw FieldError(key, "'\(excerpt(value))' is not an RFC 3339 timestamp")
        }
        return ms
    }

    /// A string value.
    func text(_ value: JSONValue, _ field: StaticString) throws(FieldError) -> String {
        guard let text = string(value) else { throw FieldError(field, "expected a string, found \(kind(value).name)") }
        return text
    }

    func requiredText(_ object: JSONValue, _ key: StaticString) throws(FieldError) -> String {
        try text(required(object, key), key)
    }

    func optionalText(_ object: JSONValue, _ key: StaticString) throws(FieldError) -> String? {
        guard let value = optional(object, key) else { return nil }
        return try text(value, key)
    }

    /// An identifier sent as a string or a number, as text.
    func identifier(_ value: JSONValue, _ field: StaticString) throws(FieldError) -> String {
        switch kind(value) {
        case .string: return string(value) ?? ""
        case .number: return String(decoding: rawBytes(value), as: UTF8.self)
        default: throw FieldError(field, "expected a string or number id, found \(kind(value).name)")
        }
    }

    func optionalIdentifier(_ object: JSONValue, _ key: StaticString) throws(FieldError) -> String? {
        guard let value = optional(object, key) else { return nil }
        return try identifier(value, key)
    }

    func bool(_ value: JSONValue, _ field: StaticString) throws(FieldError) -> Bool {
        switch kind(value) {
        case .true: return true
        case .false: return false
        default: throw FieldError(field, "expected a boolean, found \(kind(value).name)")
        }
    }

    /// The value of `key`, which must be an array.
    func requiredArray(_ object: JSONValue, _ key: StaticString) throws(FieldError) -> JSONValue {
        let value = try required(object, key)
        guard kind(value) == .array else { throw FieldError(key, "expected an array, found \(kind(value).name)") }
        return value
    }

    /// The value of `key`, which must be an object.
    func requiredObject(_ object: JSONValue, _ key: StaticString) throws(FieldError) -> JSONValue {
        let value = try required(object, key)
        guard kind(value) == .object else { throw FieldError(key, "expected an object, found \(kind(value).name)") }
        return value
    }

    /// `[[price, size], ...]` (extra elements per level are ignored unless `sequenced`, when
    /// the third is the level's own sequence number, as KuCoin sends).
    func levels(_ array: JSONValue, _ field: StaticString, sequenced: Bool = false,
                skipZeroPrices: Bool = false) throws(FieldError) -> [BookLevel] {
        guard kind(array) == .array else { throw FieldError(field, "expected an array of levels, found \(kind(array).name)") }
        var levels: [BookLevel] = []
        levels.reserveCapacity(count(array))
        for pair in elements(array) {
            var items = elements(pair)
            guard kind(pair) == .array, let price = items.next(), let size = items.next() else {
                throw FieldError(field, "each level must be an array [price, size]")
            }
            var level = BookLevel(price: try decimal(price, field), size: try decimal(size, field))
            if sequenced {
                guard let sequence = items.next() else { throw FieldError(field, "each change must be [price, size, sequence]") }
                level.sequence = try unsigned(sequence, field)
            }
            if skipZeroPrices, level.price.isZero { continue }
            levels.append(level)
        }
        return levels
    }

    /// The start of a value's text, for error messages.
    func excerpt(_ value: JSONValue) -> String {
        let raw = rawBytes(value)
        let text = String(decoding: raw.prefix(40), as: UTF8.self)
        return raw.count > 40 ? text + "…" : text
    }
}
