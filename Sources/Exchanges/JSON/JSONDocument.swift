/// A value in a ``JSONDocument``: the index of its token.
struct JSONValue: Equatable {
    let index: Int
}

/// A tokenized frame: the bytes and their ``JSONToken``s, read without copying. Valid only
/// while both buffers are (inside ``JSONTape/withDocument(_:_:)``).
struct JSONDocument {
    let bytes: UnsafeRawBufferPointer
    let tokens: UnsafeBufferPointer<JSONToken>
    /// Where the last key lookup ended: `[object index, token index of the following key]`.
    /// Decoders mostly read keys in the order they are sent, so the next lookup starts there.
    let hint: UnsafeMutablePointer<Int>

    /// The document's top-level value.
    var root: JSONValue { JSONValue(index: 0) }

    @inline(__always)
    func kind(_ value: JSONValue) -> JSONKind { tokens[value.index].kind }

    /// The value of `key` in `object`; nil when `object` is not an object or has no such key.
    /// The search starts after the key found last in the same object and wraps around.
    func member(_ object: JSONValue, _ key: StaticString) -> JSONValue? {
        let token = tokens[object.index]
        guard token.kind == .object else { return nil }
        let first = object.index + 1
        let end = Int(token.next)
        let resume = hint[0] == object.index && hint[1] < end ? hint[1] : first
        var k = resume
        while k < end {
            if stringEquals(JSONValue(index: k), key) { return found(object, k) }
            k = Int(tokens[k + 1].next)
        }
        k = first
        while k < resume {
            if stringEquals(JSONValue(index: k), key) { return found(object, k) }
            k = Int(tokens[k + 1].next)
        }
        return nil
    }

    @inline(__always)
    private func found(_ object: JSONValue, _ key: Int) -> JSONValue {
        hint[0] = object.index
        hint[1] = Int(tokens[key + 1].next)
        return JSONValue(index: key + 1)
    }

    /// The members of an object, in document order.
    func members(_ object: JSONValue) -> Members {
        let token = tokens[object.index]
        guard token.kind == .object else { return Members(tokens: tokens, position: 0, end: 0) }
        return Members(tokens: tokens, position: object.index + 1, end: Int(token.next))
    }

    /// The elements of an array, in document order (none when `array` is not an array).
    func elements(_ array: JSONValue) -> Elements {
        let token = tokens[array.index]
        guard token.kind == .array else { return Elements(tokens: tokens, position: 0, end: 0) }
        return Elements(tokens: tokens, position: array.index + 1, end: Int(token.next))
    }

    /// The number of elements of an array.
    func count(_ array: JSONValue) -> Int {
        var n = 0
        for _ in elements(array) { n += 1 }
        return n
    }

    /// True when `value` is a string spelled exactly `literal` (escapes decoded).
    @inline(__always)
    func stringEquals(_ value: JSONValue, _ literal: StaticString) -> Bool {
        let token = tokens[value.index]
        guard token.kind == .string, !token.hasEscapes else {
            return token.kind == .string && string(value) == literal.description
        }
        return Self.bytes(rawBytes(value), equal: literal)
    }

    /// True when `bytes` spell exactly `literal`.
    @inline(__always)
    static func bytes(_ bytes: UnsafeRawBufferPointer, equal literal: StaticString) -> Bool {
        let length = bytes.count
        guard length == literal.utf8CodeUnitCount else { return false }
        guard let text = bytes.baseAddress else { return true }
        let expected = UnsafeRawPointer(literal.utf8Start)
        var k = 0
        while k < length {
            if text.load(fromByteOffset: k, as: UInt8.self) != expected.load(fromByteOffset: k, as: UInt8.self) { return false }
            k &+= 1
        }
        return true
    }

    /// A string's text as it appears in the frame (escapes not decoded), or a number's text.
    @inline(__always)
    func rawBytes(_ value: JSONValue) -> UnsafeRawBufferPointer {
        let token = tokens[value.index]
        // The tape only records ranges inside `bytes`.
        return UnsafeRawBufferPointer(start: bytes.baseAddress.map { $0 + Int(token.start) },
                                      count: Int(token.end &- token.start))
    }

    /// A string value with its escapes decoded; nil when `value` is not a string.
    func string(_ value: JSONValue) -> String? {
        let token = tokens[value.index]
        guard token.kind == .string else { return nil }
        let raw = rawBytes(value)
        return token.hasEscapes ? Self.unescape(raw) : String(decoding: raw, as: UTF8.self)
    }

    /// Decodes the escapes of a string the tokenizer already checked. A `\u` surrogate pair
    /// becomes one character; a lone surrogate becomes U+FFFD.
    private static func unescape(_ raw: UnsafeRawBufferPointer) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(raw.count)
        func hex4(_ k: Int) -> UInt32 {
            (k..<(k + 4)).reduce(0) { $0 << 4 | UInt32(JSONTokenizer.hexValue(raw[$1]) ?? 0) }
        }
        var i = 0
        while i < raw.count {
            let c = raw[i]
            i += 1
            guard c == UInt8(ascii: "\\") else {
                utf8.append(c)
                continue
            }
            let escaped = raw[i]
            i += 1
            switch escaped {
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                var code = hex4(i)
                i += 4
                if (0xD800..<0xDC00).contains(code), i + 5 < raw.count, raw[i] == UInt8(ascii: "\\"),
                   raw[i + 1] == UInt8(ascii: "u"), case let low = hex4(i + 2), (0xDC00..<0xE000).contains(low) {
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                Unicode.UTF8.encode(Unicode.Scalar(code) ?? "\u{FFFD}") { utf8.append($0) }
            default:
                utf8.append(escaped)  // \" \\ \/
            }
        }
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Members of an object as (key, value) pairs.
    struct Members: Sequence, IteratorProtocol {
        let tokens: UnsafeBufferPointer<JSONToken>
        var position: Int
        let end: Int

        mutating func next() -> (key: JSONValue, value: JSONValue)? {
            guard position < end else { return nil }
            let key = position
            position = Int(tokens[key + 1].next)
            return (JSONValue(index: key), JSONValue(index: key + 1))
        }
    }

    /// Elements of an array.
    struct Elements: Sequence, IteratorProtocol {
        let tokens: UnsafeBufferPointer<JSONToken>
        var position: Int
        let end: Int

        mutating func next() -> JSONValue? {
            guard position < end else { return nil }
            let element = position
            position = Int(tokens[element].next)
            return JSONValue(index: element)
        }
    }
}
