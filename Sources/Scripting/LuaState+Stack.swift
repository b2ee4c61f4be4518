import CLua

/// Raise-free reads of stack values into Swift (`LuaValue`, numbers, strings).
extension LuaState {
    /// Copies the value at `index` (absolute, or negative relative to the top) without raising:
    /// only type tests, number/boolean reads, reads of values that already are strings, and a
    /// fresh `lua_next` traversal are used.
    func value(at index: Int32, depth: Int = 0) -> LuaValue {
        let index = index < 0 ? chloe_gettop(handle) + index + 1 : index
        switch chloe_type(handle, index) {
        case LUA_TNIL, LUA_TNONE:
            return .nil
        case LUA_TBOOLEAN:
            return .boolean(chloe_toboolean(handle, index) != 0)
        case LUA_TNUMBER:
            return .number(chloe_tonumber(handle, index))
        case LUA_TSTRING:
            return .string(string(at: index) ?? "")
        case LUA_TTABLE where depth < LuaValue.maximumDepth:
            guard chloe_checkstack(handle, 3) != 0 else { return .other("table") }
            var fields: [String: LuaValue] = [:]
            chloe_pushnil(handle)
            while chloe_next(handle, index) != 0 {
                // key at -2, value at -1; never convert the key in place (it would break next)
                if chloe_type(handle, -2) == LUA_TSTRING, let key = string(at: -2) {
                    fields[key] = value(at: -1, depth: depth + 1)
                }
                chloe_pop(handle, 1)
            }
            return .table(fields)
        default:
            return .other(String(cString: chloe_typename_of(handle, index)))
        }
    }

    /// The string at `index` if the value is a string (no conversion of numbers).
    func string(at index: Int32) -> String? {
        var length = 0
        guard let pointer = chloe_tostring(handle, index, &length) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    /// Lua's type name of the value at `index` ("no value" past the top).
    func typeName(at index: Int32) -> String {
        String(cString: chloe_typename_of(handle, index))
    }
}
