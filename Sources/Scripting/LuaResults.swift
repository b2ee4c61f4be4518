import CLua

/// The values a Lua function returned, read in place on the Lua stack during the `results`
/// closure of ``LuaState/call(_:arguments:results:)-(LuaFunction,_,_)``. Reading numbers,
/// booleans and fields under a ``LuaKey`` allocates nothing; strings and ``LuaValue`` copies
/// allocate their Swift storage.
///
/// Positions are 0-based (`number(at: 0)` is Lua's first result); a position past ``count``
/// reads as `nil`, as in Lua.
///
/// The typed readers do not throw, so the closure needs no annotation: on a type mismatch a
/// reader returns a placeholder (`0`, `""`, `false`, `nil`) and records the mismatch, and the
/// call then throws ``LuaError/Code/badReturnType`` for the first mismatch, discarding what
/// the closure returned.
///
/// It exists only during the call (it is not copyable and the closure borrows it).
public struct LuaResults: ~Copyable {
    let state: LuaState
    /// Stack index of the first result.
    let first: Int32
    /// The function's name, for error messages.
    let functionName: String

    /// How many values the function returned.
    public let count: Int

    init(state: LuaState, first: Int32, count: Int, functionName: String) {
        self.state = state
        self.first = first
        self.count = count
        self.functionName = functionName
    }

    private func index(_ position: Int) -> Int32? {
        position >= 0 && position < count ? first + Int32(position) : nil
    }

    /// Records the first type mismatch; the call throws it once the closure returns.
    private func mismatch(_ position: Int, expected: String, found: String? = nil) {
        guard state.control.pointee.result_mismatch == 0 else { return }
        let found = found ?? Self.withArticle(index(position).map { state.typeName(at: $0) } ?? "nothing")
        state.resultMismatch = .badReturnType(function: functionName, position: position + 1, expected: expected, found: found)
        state.control.pointee.result_mismatch = 1
    }

    private static func withArticle(_ type: String) -> String {
        switch type {
        case "nothing", "nil", "no value": type
        case "userdata": "a userdata"
        default: (type.first.map { "aeiou".contains($0) } == true ? "an " : "a ") + type
        }
    }

    /// The Lua type of the result at `position` (`LUA_TNIL` past the end).
    private func type(_ position: Int) -> Int32 {
        index(position).map { chloe_type(state.handle, $0) } ?? LUA_TNIL
    }

    /// Whether the result at `position` is `nil` (or absent).
    public func isNil(at position: Int) -> Bool {
        type(position) == LUA_TNIL
    }

    /// The result at `position`, which must be a number (else `0` and the call throws).
    public func number(at position: Int) -> Double {
        guard let index = index(position), chloe_type(state.handle, index) == LUA_TNUMBER else {
            mismatch(position, expected: "a number")
            return 0
        }
        return chloe_tonumber(state.handle, index)
    }

    /// The result at `position` if it is a number, `nil` if it is `nil` or absent (other types: the call throws).
    public func optionalNumber(at position: Int) -> Double? {
        if isNil(at: position) { return nil }
        return number(at: position)
    }

    /// The result at `position`, which must be a string; numbers are not converted (else `""` and the call throws).
    public func string(at position: Int) -> String {
        guard let index = index(position), let value = state.string(at: index) else {
            mismatch(position, expected: "a string")
            return ""
        }
        return value
    }

    /// The result at `position` if it is a string, `nil` if it is `nil` or absent (other types: the call throws).
    public func optionalString(at position: Int) -> String? {
        if isNil(at: position) { return nil }
        return string(at: position)
    }

    /// The result at `position`, which must be a boolean (else `false` and the call throws).
    public func boolean(at position: Int) -> Bool {
        guard let index = index(position), chloe_type(state.handle, index) == LUA_TBOOLEAN else {
            mismatch(position, expected: "a boolean")
            return false
        }
        return chloe_toboolean(state.handle, index) != 0
    }

    /// The result at `position` by Lua truthiness (only `nil`, absent and `false` are false). Never fails.
    public func truthiness(at position: Int) -> Bool {
        index(position).map { chloe_toboolean(state.handle, $0) != 0 } ?? false
    }

    /// The result at `position` copied out as a ``LuaValue``. Never fails.
    public func value(at position: Int) -> LuaValue {
        index(position).map { state.value(at: $0) } ?? .nil
    }

    /// All results copied out. Never fails.
    public func values() -> [LuaValue] {
        (0..<count).map { value(at: $0) }
    }

    /// Field `key` of the table returned at `position` (raw read), copied out; `.nil` if absent.
    /// If the result is not a table: `.nil` and the call throws.
    public func value(_ key: LuaKey, inTableAt position: Int) -> LuaValue {
        guard let index = tableIndex(position, key), chloe_checkstack(state.handle, 2) != 0 else { return .nil }
        let handle = state.handle
        _ = chloe_rawget_ref_key(handle, index, key.ref)
        defer { chloe_pop(handle, 1) }
        return state.value(at: -1)
    }

    /// Field `key` of the table returned at `position`, which must be a number (no allocation).
    /// Otherwise `0` and the call throws.
    public func number(_ key: LuaKey, inTableAt position: Int) -> Double {
        guard let value = optionalNumber(key, inTableAt: position) else {
            if state.control.pointee.result_mismatch == 0 {
                mismatch(position, expected: "a table with a number in field '\(key.name)'", found: "a table without it")
            }
            return 0
        }
        return value
    }

    /// Field `key` of the table returned at `position` if it is a number, `nil` if absent
    /// (no allocation). Other field types, or a result that is not a table: `nil` and the call throws.
    public func optionalNumber(_ key: LuaKey, inTableAt position: Int) -> Double? {
        guard let index = tableIndex(position, key), chloe_checkstack(state.handle, 2) != 0 else { return nil }
        let handle = state.handle
        let type = chloe_rawget_ref_key(handle, index, key.ref)
        defer { chloe_pop(handle, 1) }
        switch type {
        case LUA_TNUMBER:
            return chloe_tonumber(handle, -1)
        case LUA_TNIL:
            return nil
        default:
            mismatch(position, expected: "a table with a number in field '\(key.name)'",
                     found: "a table with " + Self.withArticle(state.typeName(at: -1)) + " there")
            return nil
        }
    }

    /// The string-keyed number fields of the table returned at `position` (else empty and the call throws).
    public func numberFields(inTableAt position: Int) -> [String: Double] {
        guard let index = tableIndex(position, nil) else { return [:] }
        return (state.value(at: index, depth: LuaValue.maximumDepth - 1).fields ?? [:]).compactMapValues(\.number)
    }

    private func tableIndex(_ position: Int, _ key: LuaKey?) -> Int32? {
        if let key { precondition(key.state === state, "LuaKey belongs to another LuaState") }
        guard let index = index(position), chloe_type(state.handle, index) == LUA_TTABLE else {
            mismatch(position, expected: "a table")
            return nil
        }
        return index
    }
}
