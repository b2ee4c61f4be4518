import CLua

/// A value the host hands to Lua in the convenience APIs (``LuaState/callForValues(_:_:)-(String,_)``,
/// ``LuaState/setGlobal(_:_:)``, ``LuaTable/set(_:_:)-(String,LuaArgument)``). The per-call path
/// uses ``LuaArguments`` instead, which pushes values without building this enum.
public enum LuaArgument: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral {
    case `nil`
    case number(Double)
    case boolean(Bool)
    case string(String)
    case table(LuaTable)
    case function(LuaFunction)

    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
}

extension LuaState {
    /// Runs `body` with `argument` as a C value; string bytes stay valid during `body`.
    func withValue<Output>(
        _ argument: LuaArgument,
        _ body: (chloe_value) throws(LuaError) -> Output
    ) throws(LuaError) -> Output {
        var raw = chloe_value()
        switch argument {
        case .nil:
            raw.kind = CHLOE_VALUE_NIL
        case let .number(value):
            raw.kind = CHLOE_VALUE_NUMBER
            raw.number = value
        case let .boolean(value):
            raw.kind = CHLOE_VALUE_BOOLEAN
            raw.boolean = value ? 1 : 0
        case let .table(table):
            precondition(table.state === self, "LuaTable belongs to another LuaState")
            raw = .reference(table.ref)
        case let .function(function):
            precondition(function.state === self, "LuaFunction belongs to another LuaState")
            raw = .reference(function.ref)
        case let .string(value):
            return try withCString(value) { pointer, length throws(LuaError) in
                raw.kind = CHLOE_VALUE_STRING
                raw.string = pointer
                raw.length = length
                return try body(raw)
            }
        }
        return try body(raw)
    }
}
