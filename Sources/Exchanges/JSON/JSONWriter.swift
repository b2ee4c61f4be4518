/// Builds compact JSON text: subscription requests and normalized output lines.
public struct JSONWriter {
    private(set) var text = ""
    private var needsComma = false

    mutating func beginObject() {
        separate()
        text.append("{")
        needsComma = false
    }

    mutating func endObject() {
        text.append("}")
        needsComma = true
    }

    mutating func beginArray() {
        separate()
        text.append("[")
        needsComma = false
    }

    mutating func endArray() {
        text.append("]")
        needsComma = true
    }

    mutating func key(_ key: String) {
        string(key)
        text.append(":")
        needsComma = false
    }

    mutating func string(_ value: String) {
        separate()
        Self.appendQuoted(value, to: &text)
        needsComma = true
    }

    /// Appends `value` as a JSON string: quotes, backslashes and control characters escaped,
    /// slashes and non-ASCII text as they are. Text with nothing to escape is appended whole.
    public static func appendQuoted(_ value: String, to text: inout String) {
        text.append("\"")
        if !value.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }) {
            text.append(value)
        } else {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": text.append("\\\"")
                case "\\": text.append("\\\\")
                case "\n": text.append("\\n")
                case "\r": text.append("\\r")
                case "\t": text.append("\\t")
                case _ where scalar.value < 0x20:
                    let hex = String(scalar.value, radix: 16)
                    text.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                default: text.unicodeScalars.append(scalar)
                }
            }
        }
        text.append("\"")
    }

    /// Appends `value` as a JSON string to `bytes`, escaped as the text form above escapes it.
    public static func appendQuoted(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        if !value.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }) {
            bytes.append(contentsOf: value.utf8)
        } else {
            var text = ""
            appendQuoted(value, to: &text)
            bytes.append(contentsOf: text.utf8.dropFirst().dropLast())
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The exact decimal text, as a JSON number.
    mutating func number(_ value: ExactDecimal) {
        separate()
        value.appendDescription(to: &text)
        needsComma = true
    }

    mutating func number(_ value: some BinaryInteger) {
        separate()
        text.append(String(value))
        needsComma = true
    }

    mutating func bool(_ value: Bool) {
        separate()
        text.append(value ? "true" : "false")
        needsComma = true
    }

    mutating func strings(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    private mutating func separate() {
        if needsComma { text.append(",") }
    }
}
