/// A Lua value copied out of a state: what functions return and globals hold, as plain Swift data.
///
/// Tables are copied by their string-keyed fields only (integer keys and other key types are
/// skipped), nested tables up to ``maximumDepth`` levels; deeper tables, functions, userdata
/// and coroutines appear as ``other(_:)`` with their Lua type name. Lua integers become
/// `Double`; strings are decoded as UTF-8 (invalid bytes are replaced).
public enum LuaValue: Sendable, Equatable, CustomStringConvertible {
    case `nil`
    case boolean(Bool)
    case number(Double)
    case string(String)
    case table([String: LuaValue])
    /// A value that does not copy: its Lua type name ("function", "userdata", "thread", "table").
    case other(String)

    /// Nesting depth up to which tables are copied.
    public static let maximumDepth = 8

    /// The number, if this is a number.
    public var number: Double? {
        if case let .number(value) = self { value } else { nil }
    }

    /// The string, if this is a string.
    public var string: String? {
        if case let .string(value) = self { value } else { nil }
    }

    /// The boolean, if this is a boolean.
    public var boolean: Bool? {
        if case let .boolean(value) = self { value } else { nil }
    }

    /// The fields, if this is a table.
    public var fields: [String: LuaValue]? {
        if case let .table(value) = self { value } else { nil }
    }

    /// Whether this is `nil`.
    public var isNil: Bool { self == .nil }

    /// Lua's name for the value's type ("nil", "boolean", "number", "string", "table", ...).
    public var typeName: String {
        switch self {
        case .nil: "nil"
        case .boolean: "boolean"
        case .number: "number"
        case .string: "string"
        case .table: "table"
        case let .other(name): name
        }
    }

    public var description: String {
        switch self {
        case .nil: "nil"
        case let .boolean(value): "\(value)"
        case let .number(value): "\(value)"
        case let .string(value): "\"\(value)\""
        case let .table(fields):
            "{" + fields.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: ", ") + "}"
        case let .other(name): "<\(name)>"
        }
    }
}
