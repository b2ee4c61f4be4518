import Exchanges

/// JSON objects written by hand, as UTF-8, for the records WebSocket clients get many times a
/// second (ticks, trades) and for signals, in exactly the form ``RecordCoding``'s encoder gives
/// (the caller adds members in sorted key order): no encoder to build, no reflection.
struct JSONText {
    /// The UTF-8 text so far; room for a tick's or a trade's members is reserved at once.
    private var bytes: [UInt8]
    private var needsComma = false

    /// A new object; ``close()`` or ``closeBytes()`` ends it.
    init() {
        bytes = []
        bytes.reserveCapacity(192)
        bytes.append(UInt8(ascii: "{"))
    }

    /// Adds `"key":"value"`.
    mutating func member(_ key: String, _ value: String) {
        separate(key)
        JSONWriter.appendQuoted(value, to: &bytes)
    }

    /// Adds `"key":value`; nothing for a value that is not finite (an absent field, as a nil optional).
    mutating func member(_ key: String, _ value: Double) {
        guard value.isFinite else { return }
        separate(key)
        bytes.append(contentsOf: Self.number(value).utf8)
    }

    /// Adds `"key":value`, or nothing for nil.
    mutating func member(_ key: String, _ value: Double?) {
        if let value { member(key, value) }
    }

    mutating func member(_ key: String, _ value: Int64) {
        separate(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func member(_ key: String, _ value: Bool) {
        separate(key)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// Adds `"key":` followed by `json`, a value already written (an object or array).
    mutating func member(_ key: String, json: String) {
        separate(key)
        bytes.append(contentsOf: json.utf8)
    }

    /// `value` as JSONEncoder writes a finite Double: the shortest round-tripping digits,
    /// without a trailing ".0".
    static func number(_ value: Double) -> String {
        let description = value.description
        return description.hasSuffix(".0") ? String(description.dropLast(2)) : description
    }

    /// `values` as a JSON array of numbers.
    static func array(_ values: [Double]) -> String {
        var text = "["
        for (index, value) in values.enumerated() {
            if index > 0 { text.append(",") }
            text.append(number(value))
        }
        text.append("]")
        return text
    }

    /// The object's text.
    mutating func close() -> String {
        String(decoding: closeBytes(), as: UTF8.self)
    }

    /// The object's UTF-8 text.
    mutating func closeBytes() -> [UInt8] {
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    private mutating func separate(_ key: String) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: key.utf8)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }
}
