/// A strategy parameter value: what a `params` default holds and what a per-symbol override sets.
public enum StrategyParameter: Sendable, Hashable, CustomStringConvertible {
    case number(Double)
    case boolean(Bool)
    case string(String)

    /// The Lua value to hand to the script.
    var argument: LuaArgument {
        switch self {
        case let .number(value): .number(value)
        case let .boolean(value): .boolean(value)
        case let .string(value): .string(value)
        }
    }

    /// The parameter a copied Lua value stands for (nil for other types).
    init?(_ value: LuaValue) {
        switch value {
        case let .number(number): self = .number(number)
        case let .boolean(flag): self = .boolean(flag)
        case let .string(text): self = .string(text)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case let .number(value): value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case let .boolean(value): String(value)
        case let .string(value): "\"\(value)\""
        }
    }
}
