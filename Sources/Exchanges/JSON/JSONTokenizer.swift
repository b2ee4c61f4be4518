/// The single pass behind ``JSONTape/parse(_:)``: reads the bytes and writes tokens into
/// storage the tape has sized for the worst case, so no write needs a capacity check.
struct JSONTokenizer {
    let bytes: UnsafeRawBufferPointer
    let tokens: UnsafeMutableBufferPointer<JSONToken>
    /// The open containers: each one's token index shifted left by one, the low bit set for
    /// objects.
    let stack: UnsafeMutableBufferPointer<Int32>
    private(set) var count = 0
    private var depth = 0

    init(bytes: UnsafeRawBufferPointer, tokens: UnsafeMutableBufferPointer<JSONToken>, stack: UnsafeMutableBufferPointer<Int32>) {
        self.bytes = bytes
        self.tokens = tokens
        self.stack = stack
    }

    @inline(__always)
    private mutating func append(_ token: JSONToken) {
        tokens[count] = token
        count &+= 1
    }

    /// The token of a value without children (its successor is the next token).
    @inline(__always)
    private func scalar(_ kind: JSONKind, from start: Int, to end: Int, hasEscapes: Bool = false) -> JSONToken {
        JSONToken(kind: kind, hasEscapes: hasEscapes, start: Int32(truncatingIfNeeded: start),
                  end: Int32(truncatingIfNeeded: end), next: Int32(truncatingIfNeeded: count &+ 1))
    }

    /// Tokenizes the whole document.
    mutating func run() throws(JSONSyntaxError) {
        let n = bytes.count
        var i = Self.skipWhitespace(bytes, 0)
        guard i < n else {
            throw JSONSyntaxError(offset: i, reason: n == 0 ? "the frame is empty" : "the frame holds only whitespace")
        }
        while true {
            // A value starts at `i`.
            guard i < n else { throw Self.truncated(n) }
            var needsValue = false
            switch bytes[i] {
            case UInt8(ascii: "{"):
                try openContainer(.object, at: i)
                i = Self.skipWhitespace(bytes, i &+ 1)
                if i < n, bytes[i] == UInt8(ascii: "}") {
                    closeContainer(at: i)
                    i &+= 1
                } else {
                    i = try parseKey(i)
                    needsValue = true
                }
            case UInt8(ascii: "["):
                try openContainer(.array, at: i)
                i = Self.skipWhitespace(bytes, i &+ 1)
                if i < n, bytes[i] == UInt8(ascii: "]") {
                    closeContainer(at: i)
                    i &+= 1
                } else {
                    needsValue = true
                }
            case UInt8(ascii: "\""):
                i = try parseString(i)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                i = try parseNumber(i)
            case UInt8(ascii: "t"):
                i = try parseLiteral(i, "true", .true)
            case UInt8(ascii: "f"):
                i = try parseLiteral(i, "false", .false)
            case UInt8(ascii: "n"):
                i = try parseLiteral(i, "null", .null)
            default:
                throw JSONSyntaxError(offset: i, reason: "expected a value, found \(Self.describe(bytes[i]))")
            }
            if needsValue { continue }
            // A value just ended: close containers, or step to the next member or element.
            afterValue: while true {
                guard depth > 0 else {
                    i = Self.skipWhitespace(bytes, i)
                    guard i == n else {
                        throw JSONSyntaxError(offset: i, reason: "unexpected \(Self.describe(bytes[i])) after the end of the JSON document")
                    }
                    return
                }
                i = Self.skipWhitespace(bytes, i)
                guard i < n else { throw Self.truncated(n) }
                let isObject = stack[depth &- 1] & 1 == 1
                switch bytes[i] {
                case UInt8(ascii: ","):
                    i = Self.skipWhitespace(bytes, i &+ 1)
                    if isObject { i = try parseKey(i) }
                    break afterValue
                case UInt8(ascii: "}") where isObject, UInt8(ascii: "]") where !isObject:
                    closeContainer(at: i)
                    i &+= 1
                default:
                    let expected = isObject ? "',' or '}' after an object member" : "',' or ']' after an array element"
                    throw JSONSyntaxError(offset: i, reason: "expected \(expected), found \(Self.describe(bytes[i]))")
                }
            }
        }
    }

    private mutating func openContainer(_ kind: JSONKind, at i: Int) throws(JSONSyntaxError) {
        guard depth < JSONTape.maximumDepth else {
            throw JSONSyntaxError(offset: i, reason: "nesting deeper than \(JSONTape.maximumDepth) levels")
        }
        stack[depth] = Int32(truncatingIfNeeded: count) << 1 | (kind == .object ? 1 : 0)
        depth &+= 1
        append(JSONToken(kind: kind, hasEscapes: false, start: Int32(truncatingIfNeeded: i), end: 0, next: 0))
    }

    private mutating func closeContainer(at i: Int) {
        depth &-= 1
        let index = Int(stack[depth] >> 1)
        tokens[index].end = Int32(truncatingIfNeeded: i &+ 1)
        tokens[index].next = Int32(truncatingIfNeeded: count)
    }

    /// Reads `"key"` and the `:` after it; returns where the value starts.
    @inline(__always)
    private mutating func parseKey(_ start: Int) throws(JSONSyntaxError) -> Int {
        guard start < bytes.count else { throw Self.truncated(bytes.count) }
        guard bytes[start] == UInt8(ascii: "\"") else {
            throw JSONSyntaxError(offset: start, reason: "expected a string key, found \(Self.describe(bytes[start]))")
        }
        var i = Self.skipWhitespace(bytes, try parseString(start))
        guard i < bytes.count else { throw Self.truncated(bytes.count) }
        guard bytes[i] == UInt8(ascii: ":") else {
            throw JSONSyntaxError(offset: i, reason: "expected ':' after an object key, found \(Self.describe(bytes[i]))")
        }
        i = Self.skipWhitespace(bytes, i &+ 1)
        return i
    }

    /// Reads a string starting at its opening quote; returns the index after the closing quote.
    @inline(__always)
    private mutating func parseString(_ quote: Int) throws(JSONSyntaxError) -> Int {
        let n = bytes.count
        var i = quote &+ 1
        var hasEscapes = false
        while true {
            i = Self.skipPlainCharacters(bytes, i)
            guard i < n else { throw JSONSyntaxError(offset: quote, reason: "unterminated string (the frame ends inside it)") }
            let c = bytes[i]
            if c >= 0x20, c < 0x80, c != UInt8(ascii: "\""), c != UInt8(ascii: "\\") {
                i &+= 1
            } else if c == UInt8(ascii: "\"") {
                break
            } else if c == UInt8(ascii: "\\") {
                hasEscapes = true
                i = try Self.skipEscape(bytes, i)
            } else if c < 0x20 {
                throw JSONSyntaxError(offset: i, reason: "unescaped control character 0x\(String(c, radix: 16)) in a string")
            } else {
                i = try Self.skipUTF8Sequence(bytes, i)
            }
        }
        append(scalar(.string, from: quote &+ 1, to: i, hasEscapes: hasEscapes))
        return i &+ 1
    }

    /// Skips string bytes that need no attention (printable ASCII other than `"` and `\`),
    /// eight at a time; returns the index of the first other byte, or where fewer than eight
    /// bytes remain.
    @inline(__always)
    private static func skipPlainCharacters(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var i = start
        guard let base = bytes.baseAddress else { return i }
        while i + 8 <= bytes.count {
            let word = UInt64(littleEndian: (base + i).loadUnaligned(as: UInt64.self))
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            // A byte's high bit ends up set when it is `"`, `\`, below 0x20 or above 0x7F. Borrows
            // can only mark bytes above a marked one, so the lowest mark is exact.
            let marks = (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
                | ((word &- ones &* 0x20) & ~word) | word) & highs
            if marks != 0 { return i + marks.trailingZeroBitCount >> 3 }
            i += 8
        }
        return i
    }

    private mutating func parseNumber(_ start: Int) throws(JSONSyntaxError) -> Int {
        let n = bytes.count
        var i = start
        @inline(__always) func isDigit(_ k: Int) -> Bool {
            k < n && bytes[k] >= UInt8(ascii: "0") && bytes[k] <= UInt8(ascii: "9")
        }
        if bytes[i] == UInt8(ascii: "-") { i &+= 1 }
        if i < n, bytes[i] == UInt8(ascii: "0") {
            i &+= 1
        } else if isDigit(i) {
            while isDigit(i) { i &+= 1 }
        } else {
            throw JSONSyntaxError(offset: start, reason: "invalid number: '-' must be followed by a digit")
        }
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i &+= 1
            guard isDigit(i) else { throw JSONSyntaxError(offset: i, reason: "invalid number: expected a digit after '.'") }
            while isDigit(i) { i &+= 1 }
        }
        if i < n, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i &+= 1
            if i < n, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i &+= 1 }
            guard isDigit(i) else { throw JSONSyntaxError(offset: i, reason: "invalid number: expected a digit in the exponent") }
            while isDigit(i) { i &+= 1 }
        }
        append(scalar(.number, from: start, to: i))
        return i
    }

    private mutating func parseLiteral(_ start: Int, _ literal: StaticString,
                                       _ kind: JSONKind) throws(JSONSyntaxError) -> Int {
        let length = literal.utf8CodeUnitCount
        guard start &+ length <= bytes.count else { throw Self.truncated(bytes.count) }
        for k in 0..<length where bytes[start + k] != literal.utf8Start[k] {
            throw JSONSyntaxError(offset: start, reason: "invalid literal (expected \(literal))")
        }
        append(scalar(kind, from: start, to: start &+ length))
        return start &+ length
    }

    /// Checks the escape at `i` (a backslash); returns the index after it.
    private static func skipEscape(_ bytes: UnsafeRawBufferPointer, _ i: Int) throws(JSONSyntaxError) -> Int {
        guard i + 1 < bytes.count else { throw truncated(bytes.count) }
        switch bytes[i + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return i + 2
        case UInt8(ascii: "u"):
            guard i + 5 < bytes.count else { throw truncated(bytes.count) }
            for k in (i + 2)...(i + 5) where hexValue(bytes[k]) == nil {
                throw JSONSyntaxError(offset: i, reason: "invalid \\u escape (needs four hex digits)")
            }
            return i + 6
        default:
            throw JSONSyntaxError(offset: i, reason: "invalid escape: \(describe(bytes[i + 1])) after a backslash")
        }
    }

    /// Checks the multi-byte UTF-8 sequence at `i`; returns the index after it.
    private static func skipUTF8Sequence(_ bytes: UnsafeRawBufferPointer, _ i: Int) throws(JSONSyntaxError) -> Int {
        let n = bytes.count
        @inline(__always) func follows(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            k < n && bytes[k] >= low && bytes[k] <= high
        }
        switch bytes[i] {
        case 0xC2...0xDF where follows(i + 1):
            return i + 2
        case 0xE0 where follows(i + 1, 0xA0) && follows(i + 2),
             0xE1...0xEC where follows(i + 1) && follows(i + 2),
             0xED where follows(i + 1, 0x80, 0x9F) && follows(i + 2),
             0xEE...0xEF where follows(i + 1) && follows(i + 2):
            return i + 3
        case 0xF0 where follows(i + 1, 0x90) && follows(i + 2) && follows(i + 3),
             0xF1...0xF3 where follows(i + 1) && follows(i + 2) && follows(i + 3),
             0xF4 where follows(i + 1, 0x80, 0x8F) && follows(i + 2) && follows(i + 3):
            return i + 4
        default:
            throw JSONSyntaxError(offset: i, reason: "invalid UTF-8 in a string")
        }
    }

    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    @inline(__always)
    private static func skipWhitespace(_ bytes: UnsafeRawBufferPointer, _ start: Int) -> Int {
        if start < bytes.count, bytes[start] > 0x20 { return start }  // the usual case: no whitespace
        var i = start
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x0A, 0x0D, 0x09: i &+= 1
            default: return i
            }
        }
        return i
    }

    private static func truncated(_ n: Int) -> JSONSyntaxError {
        JSONSyntaxError(offset: n, reason: "the frame ends before the JSON document does (truncated?)")
    }

    /// A byte as error messages show it: the character when printable ASCII, else hex.
    private static func describe(_ c: UInt8) -> String {
        c >= 0x21 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16))"
    }
}
