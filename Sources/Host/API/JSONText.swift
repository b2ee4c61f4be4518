import Exchanges

/// JSON objects written by hand for the records WebSocket clients get many times a second
/// (ticks, trades) and for the envelope's symbol, in exactly the form ``RecordCoding``'s encoder
/// gives (the caller adds members in sorted key order): no encoder to build, no reflection.
struct JSONText {
    private(set) var text = "{"
    private var needsComma = false

    /// A new object; ``close()`` ends it. Room for a tick's or a trade's members is reserved
    /// at once, so the text grows in place.
    init() {
        text.reserveCapacity(192)
    }

    /// Adds `"key":"value"`.
    mutating func member(_ key: String, _ value: String) {
        separate(key)
        Self.appendString(value, to: &text)
    }

    /// Adds `"key":value`; nothing for a value that is not finite (an absent field, as a nil optional).
    mutating func member(_ key: String, _ value: Double) {
        guard value.isFinite else { return }
        separate(key)
        text.append(Self.number(value))
    }

    /// Adds `"key":value`, or nothing for nil.
    mutating func member(_ key: String, _ value: Double?) {
        if let value { member(key, value) }
    }

    mutating func member(_ key: String, _ value: Int64) {
        separate(key)
        text.append(String(value))
    }

    mutating func member(_ key: String, _ value: Bool) {
        separate(key)
        text.append(value ? "true" : "false")
    }

    /// Adds `"key":` followed by `json`, a value already written (an object or array).
    mutating func member(_ key: String, json: String) {
        separate(key)
        text.append(json)
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
        text.append("}")
        return text
    }

    private mutating func separate(_ key: String) {
        if needsComma { text.append(",") }
        needsComma = true
        text.append("\"")
        text.append(key)
        text.append("\":")
    }

    /// `value` as a JSON string (slashes unescaped, as ``RecordCoding`` writes them).
    static func string(_ value: String) -> String {
        var text = ""
        appendString(value, to: &text)
        return text
    }

    static func appendString(_ value: String, to text: inout String) {
        JSONWriter.appendQuoted(value, to: &text)
    }
}
