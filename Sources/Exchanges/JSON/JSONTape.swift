/// A strict JSON tokenizer (RFC 8259) that records where every value is instead of building
/// dictionaries: one pass over the bytes (``JSONTokenizer``) fills a flat list of
/// ``JSONToken``s, which ``JSONDocument`` then walks. The token storage is kept between frames,
/// so after warm-up a frame is tokenized without allocating.
///
/// Strict means: one document, nothing but whitespace around it; no trailing commas, comments,
/// single quotes, leading zeros, `NaN` or bare control characters; valid escapes and UTF-8.
struct JSONTape: Sendable {
    /// Token slots; the first `count` hold the last document's tokens.
    private var storage: [JSONToken] = []
    private(set) var count = 0

    /// Deeper nesting than this is refused (no exchange frame comes close).
    static let maximumDepth = 128
    /// Longer frames are refused: offsets are 32-bit (exchanges stay below 16 MiB).
    static let maximumLength = 1 << 30

    /// An empty tape; allocates nothing until the first parse.
    init() {}

    /// Tokenizes one JSON document, replacing the previous one's tokens.
    mutating func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONSyntaxError) {
        count = 0
        guard bytes.count < Self.maximumLength else { throw JSONSyntaxError(offset: 0, reason: "the frame is larger than 1 GiB") }
        reserve(Self.maximumTokens(bytes.count))
        let result = storage.withUnsafeMutableBufferPointer { tokens in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: Self.maximumDepth) { stack in
                var tokenizer = JSONTokenizer(bytes: bytes, tokens: tokens, stack: stack)
                return Result { () throws(JSONSyntaxError) -> Int in
                    try tokenizer.run()
                    return tokenizer.count
                }
            }
        }
        count = try result.get()
    }

    /// The most tokens `length` bytes can hold: every token but the top-level one takes at
    /// least two bytes (a scalar and the separator or bracket after it, a string's quotes, a
    /// container's brackets).
    static func maximumTokens(_ length: Int) -> Int { length / 2 + 2 }

    /// Makes room for `slots` tokens; gives back memory after an unusually large frame.
    private mutating func reserve(_ slots: Int) {
        if storage.count < slots {
            storage = Array(repeating: JSONToken(kind: .null, hasEscapes: false, start: 0, end: 0, next: 0),
                            count: Swift.max(slots, 2 * storage.count))
        } else if storage.count > 65536, slots < storage.count / 16 {
            storage = Array(repeating: JSONToken(kind: .null, hasEscapes: false, start: 0, end: 0, next: 0), count: 2 * slots)
        }
    }

    /// Runs `body` on the document last parsed from `bytes`.
    func withDocument<R, E: Error>(_ bytes: UnsafeRawBufferPointer, _ body: (JSONDocument) throws(E) -> R) throws(E) -> R {
        let storage = self.storage
        let count = self.count
        return try storage.withUnsafeBufferPointer { (buffer) throws(E) -> R in
            try withUnsafeTemporaryAllocation(of: Int.self, capacity: 2) { (hint) throws(E) -> R in
                hint[0] = -1
                hint[1] = 0
                let tokens = UnsafeBufferPointer(rebasing: buffer[0..<count])
                return try body(JSONDocument(bytes: bytes, tokens: tokens, hint: hint.baseAddress!))
            }
        }
    }
}
