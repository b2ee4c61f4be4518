/// The kind of a JSON value.
enum JSONKind: UInt8, Sendable {
    case object
    case array
    case string
    case number
    case `true`
    case `false`
    case null

    /// How error messages name the kind.
    var name: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .true, .false: "a boolean"
        case .null: "null"
        }
    }
}

/// One value (or object key) found by ``JSONTape``: where its text is and where the next
/// sibling's token starts, so a reader can step over a whole object or array at once.
struct JSONToken: Sendable {
    var kind: JSONKind
    /// Strings only: the text contains backslash escapes and must be decoded before use.
    var hasEscapes: Bool
    /// Strings: the byte after the opening quote. Others: the first byte.
    var start: Int32
    /// Strings: the closing quote. Others: one past the last byte.
    var end: Int32
    /// The index of the token after this value and everything inside it.
    var next: Int32
}
