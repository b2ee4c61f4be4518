import CLua

/// A Lua table created once by the host and updated in place — the context table a
/// strategy sees on every call. Writes are raw (no metamethods) and go straight into the
/// Lua table; the script sees them on its next call, and the host reads back what the script
/// stored.
///
/// Writing a number, boolean, table or function under a ``LuaKey`` the table already holds is
/// the cheap path: no protected call, no allocation, no string building. The first write of
/// a key (or a write after the script set the field to `nil`) and string values take a
/// protected call that may allocate. The `String`-named overloads intern the name on every
/// call: fine for setup, use ``LuaKey`` on hot paths.
///
/// A table belongs to its state; using it with another state traps. The reference is
/// released when the handle is deinitialized.
public final class LuaTable {
    /// The state the table lives in.
    public let state: LuaState
    /// Registry reference to the table.
    let ref: Int32

    init(state: LuaState, ref: Int32) {
        self.state = state
        self.ref = ref
    }

    deinit { state.deferRelease(ref) }

    // MARK: Writing

    /// Sets `table[key] = value`.
    public func set(_ key: LuaKey, _ value: Double) throws(LuaError) {
        var raw = chloe_value()
        raw.kind = CHLOE_VALUE_NUMBER
        raw.number = value
        try write(key, raw)
    }

    /// Sets `table[key] = value`.
    public func set(_ key: LuaKey, _ value: Bool) throws(LuaError) {
        var raw = chloe_value()
        raw.kind = CHLOE_VALUE_BOOLEAN
        raw.boolean = value ? 1 : 0
        try write(key, raw)
    }

    /// Sets `table[key] = value` (a nested table: shared, not copied).
    public func set(_ key: LuaKey, _ value: LuaTable) throws(LuaError) {
        precondition(value.state === state, "LuaTable belongs to another LuaState")
        try write(key, .reference(value.ref))
    }

    /// Sets `table[key] = value` (for example a host function the script calls as `ctx.buy(...)`).
    public func set(_ key: LuaKey, _ value: LuaFunction) throws(LuaError) {
        precondition(value.state === state, "LuaFunction belongs to another LuaState")
        try write(key, .reference(value.ref))
    }

    /// Sets `table[key] = value` (always a protected call: strings allocate).
    public func set(_ key: LuaKey, _ value: String) throws(LuaError) {
        try state.withCString(value) { pointer, length throws(LuaError) in
            var raw = chloe_value()
            raw.kind = CHLOE_VALUE_STRING
            raw.string = pointer
            raw.length = length
            try write(key, raw)
        }
    }

    /// Sets `table[key] = nil`.
    public func remove(_ key: LuaKey) throws(LuaError) {
        try write(key, chloe_value())
    }

    /// Sets `table[name] = value`, interning `name` (setup convenience; see ``LuaKey``).
    public func set(_ name: String, _ value: LuaArgument) throws(LuaError) {
        state.requireIdle()
        try state.withValue(value) { raw throws(LuaError) in
            try state.withCString(name) { pointer, length throws(LuaError) in
                var request = chloe_slot_request()
                request.table_ref = ref
                request.key_ref = chloe_noref()
                request.key = pointer
                request.key_length = length
                request.value = raw
                let base = state.enter()
                defer { state.leave(base) }
                try state.check(chloe_set(state.handle, &request))
            }
        }
    }

    private func write(_ key: LuaKey, _ value: chloe_value) throws(LuaError) {
        precondition(key.state === state, "LuaKey belongs to another LuaState")
        state.requireIdle()
        var value = value
        if chloe_set_fast(state.handle, ref, key.ref, &value) != 0 { return }
        var request = chloe_slot_request()
        request.table_ref = ref
        request.key_ref = key.ref
        request.value = value
        let base = state.enter()
        defer { state.leave(base) }
        try state.check(chloe_set(state.handle, &request))
    }

    // MARK: Reading

    /// `table[key]` (raw), copied out.
    public subscript(key: LuaKey) -> LuaValue {
        precondition(key.state === state, "LuaKey belongs to another LuaState")
        state.requireIdle()
        let handle = state.handle
        let top = chloe_gettop(handle)
        defer { chloe_settop(handle, top) }
        guard chloe_checkstack(handle, 2) != 0 else { return .nil }
        chloe_pushref(handle, ref)
        _ = chloe_rawget_ref_key(handle, -1, key.ref)
        return state.value(at: -1)
    }

    /// `table[key]` if it is a number (raw read, no allocation).
    public func number(_ key: LuaKey) -> Double? {
        precondition(key.state === state, "LuaKey belongs to another LuaState")
        state.requireIdle()
        let handle = state.handle
        let top = chloe_gettop(handle)
        defer { chloe_settop(handle, top) }
        guard chloe_checkstack(handle, 2) != 0 else { return nil }
        chloe_pushref(handle, ref)
        guard chloe_rawget_ref_key(handle, -1, key.ref) == LUA_TNUMBER else { return nil }
        return chloe_tonumber(handle, -1)
    }

    /// `table[index]` (raw) if it is a string.
    func string(at index: Int) -> String? {
        state.requireIdle()
        let handle = state.handle
        let top = chloe_gettop(handle)
        defer { chloe_settop(handle, top) }
        guard chloe_checkstack(handle, 2) != 0, chloe_rawget_index(handle, ref, lua_Integer(index)) == LUA_TSTRING else { return nil }
        return state.string(at: -1)
    }

    /// Overwrites `table[1...values.count]` in place, raise-free. Only for a table the host made
    /// whose slots all hold numbers already and no script can reach (see `chloe_write_numbers`).
    func overwriteNumbers(_ values: UnsafeBufferPointer<Double>) {
        state.requireIdle()
        _ = chloe_write_numbers(state.handle, ref, values.baseAddress, Int32(values.count))
    }

    /// A snapshot of the table's string-keyed fields.
    public func snapshot() -> [String: LuaValue] {
        state.requireIdle()
        let handle = state.handle
        let top = chloe_gettop(handle)
        defer { chloe_settop(handle, top) }
        guard chloe_checkstack(handle, 1) != 0 else { return [:] }
        chloe_pushref(handle, ref)
        return state.value(at: -1).fields ?? [:]
    }
}

extension chloe_value {
    /// A registry reference value (table, function, interned string).
    static func reference(_ ref: Int32) -> chloe_value {
        var raw = chloe_value()
        raw.kind = CHLOE_VALUE_REF
        raw.ref = ref
        return raw
    }

    /// A string whose bytes the caller keeps valid while the value is used.
    static func string(_ bytes: UnsafePointer<CChar>, length: Int) -> chloe_value {
        var raw = chloe_value()
        raw.kind = CHLOE_VALUE_STRING
        raw.string = bytes
        raw.length = length
        return raw
    }
}
