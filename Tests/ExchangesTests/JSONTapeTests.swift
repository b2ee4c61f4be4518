import Testing
@testable import Exchanges

@Suite struct JSONTapeTests {
    /// Parses `text` and runs `body` on the document.
    private func read<R>(_ text: String, _ body: (JSONDocument) -> R) throws -> R {
        let bytes = Array(text.utf8)
        var tape = JSONTape()
        return try bytes.withUnsafeBytes { raw in
            try tape.parse(raw)
            return tape.withDocument(raw, body)
        }
    }

    private func syntaxError(_ bytes: [UInt8]) -> JSONSyntaxError? {
        var tape = JSONTape()
        return bytes.withUnsafeBytes { raw -> JSONSyntaxError? in
            do throws(JSONSyntaxError) {
                try tape.parse(raw)
                return nil
            } catch {
                return error
            }
        }
    }

    @Test func findsMembersAndSkipsNestedValues() throws {
        let text = #"{"a":{"x":[1,{"y":2}],"z":"q"},"b":[[ "0.1","2" ],[]],"c":-1.5e-3,"d":true,"e":null}"#
        try read(text) { d in
            let root = d.root
            #expect(d.kind(root) == .object)
            #expect(d.members(root).map { d.string($0.key) ?? "" } == ["a", "b", "c", "d", "e"])
            let b = d.member(root, "b")!
            #expect(d.count(b) == 2)
            let first = d.elements(b).first { _ in true }!
            #expect(d.elements(first).compactMap { d.string($0) } == ["0.1", "2"])
            #expect(String(decoding: d.rawBytes(d.member(root, "c")!), as: UTF8.self) == "-1.5e-3")
            #expect(d.kind(d.member(root, "d")!) == .true)
            #expect(d.kind(d.member(root, "e")!) == .null)
            #expect(d.member(root, "missing") == nil)
            #expect(d.member(d.member(root, "a")!, "z").flatMap(d.string) == "q")
        }
    }

    @Test func decodesEscapes() throws {
        let text = #"{"k\u0065y":"a\"b\\c\/d\n\u00e9\ud83d\ude00","plain":"h\u00e9"}"#
        try read(text) { d in
            #expect(d.member(d.root, "key").flatMap(d.string) == "a\"b\\c/d\né😀")
            #expect(d.member(d.root, "plain").flatMap(d.string) == "hé")
        }
    }

    @Test func acceptsScalarDocumentsAndWhitespace() throws {
        for text in ["0", " -0.5 ", "\"s\"", "true", "null", "[]", "{}", "\n\t{ \"a\" : [ ] }\r\n", "[\"é\"]"] {
            #expect(syntaxError(Array(text.utf8)) == nil, "\(text)")
        }
    }

    @Test(arguments: [
        ("", "empty"), ("   ", "only whitespace"), ("{", "truncated"), (#"{"a":1"#, "truncated"), (#"{"a" 1}"#, "expected ':'"),
        ("[1,]", "expected a value"), (#"{"a":1,}"#, "expected a string key"), ("tru", "truncated"), ("trux", "invalid literal"),
        ("01", "after the end"), ("1.", "digit after '.'"), ("-", "'-' must be followed"), ("1e", "exponent"),
        (#""\x""#, "invalid escape"), (#""\u12G4""#, "\\u escape"), ("\"a\u{01}\"", "control character"), ("{} x", "after the end"),
        ("{'a':1}", "expected a string key"), ("NaN", "expected a value"), (#"{"a":1]"#, "expected ',' or '}'"),
        ("[1 2]", "expected ',' or ']'"), (#"{"a":"b"#, "unterminated string"), ("[}", "expected a value"),
        ("{\"a\":1}{\"b\":2}", "after the end"), ("// c\n{}", "expected a value"),
    ])
    func refusesMalformedJSON(_ text: String, _ reason: String) throws {
        let error = try #require(syntaxError(Array(text.utf8)))
        #expect(error.reason.contains(reason), "\(text): \(error)")
    }

    @Test func refusesInvalidUTF8() throws {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0xC3, 0xA9]] {
            let error = try #require(syntaxError(bytes))
            #expect(error.reason.contains("UTF-8") || error.reason.contains("expected a value"))
        }
    }

    @Test func refusesDeepNesting() throws {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        let error = try #require(syntaxError(Array(deep.utf8)))
        #expect(error.reason.contains("nesting"))
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(syntaxError(Array(fine.utf8)) == nil)
    }

    @Test func everyFixtureTokenizesAndEveryTruncationFails() throws {
        for exchange in Exchange.venues {
            for name in try Fixture.names(exchange) {
                let bytes = try Fixture.bytes(exchange, name)
                #expect(syntaxError(bytes) == nil, "\(name)")
                guard bytes.count < 5000 else { continue }
                let body = Array(bytes.reversed().drop { $0 == 0x0A || $0 == 0x20 }.reversed())
                for length in 0..<body.count where !(length > 0 && isNumberPrefixDocument(body, length)) {
                    #expect(syntaxError(Array(body.prefix(length))) != nil, "\(name) cut at \(length)")
                }
            }
        }
    }

    /// A prefix that is itself a complete document (only possible for a bare number).
    private func isNumberPrefixDocument(_ body: [UInt8], _ length: Int) -> Bool {
        body.prefix(length).allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2E }
    }
}
