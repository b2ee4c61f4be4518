import CLua

/// Pushes the arguments of one call onto the Lua stack, given to the `arguments` closure of
/// ``LuaState/call(_:arguments:results:)-(LuaFunction,_,_)``. Numbers, booleans, `nil`,
/// tables, functions and interned keys are pushed without allocating; only
/// ``push(_:)-(String)`` needs a protected call. Pushing never throws: a failure (the stack
/// cannot grow, a string does not fit in memory) is recorded and the call throws it instead
/// of running the function.
///
/// It exists only during the call (it is not copyable and the closure borrows it).
public struct LuaArguments: ~Copyable {
    let state: LuaState
    /// Values pushed so far.
    private(set) var count: Int32 = 0
    /// Set when the stack could not grow; the call then fails with a memory error.
    private(set) var overflowed = false
    /// Set when pushing a string failed; the call then throws it.
    private(set) var failure: LuaError?

    init(state: LuaState) {
        self.state = state
    }

    /// Slots made room for by ``reserve(_:)`` and not used yet.
    private var reserved: Int32 = 0

    /// Makes room for `slots` values at once, so the pushes that follow skip their own stack check.
    mutating func reserve(_ slots: Int32) {
        if !overflowed, chloe_checkstack(state.handle, slots) != 0 { reserved = slots }
    }

    @inline(__always)
    private mutating func reserve() -> Bool {
        if reserved > 0 {
            reserved -= 1
            count += 1
            return true
        }
        if overflowed || chloe_checkstack(state.handle, 1) == 0 {
            overflowed = true
            return false
        }
        count += 1
        return true
    }

    /// Pushes a number.
    @inline(__always)
    public mutating func push(_ value: Double) {
        if reserve() { chloe_pushnumber(state.handle, value) }
    }

    /// Pushes a boolean.
    public mutating func push(_ value: Bool) {
        if reserve() { chloe_pushboolean(state.handle, value ? 1 : 0) }
    }

    /// Pushes `nil`.
    @inline(__always)
    public mutating func pushNil() {
        if reserve() { chloe_pushnil(state.handle) }
    }

    /// Pushes a table (the same Lua table, not a copy).
    public mutating func push(_ table: LuaTable) {
        precondition(table.state === state, "LuaTable belongs to another LuaState")
        if reserve() { chloe_pushref(state.handle, table.ref) }
    }

    /// Pushes a function.
    public mutating func push(_ function: LuaFunction) {
        precondition(function.state === state, "LuaFunction belongs to another LuaState")
        if reserve() { chloe_pushref(state.handle, function.ref) }
    }

    /// Pushes the key's name as a string (already interned: no allocation).
    public mutating func push(_ key: LuaKey) {
        precondition(key.state === state, "LuaKey belongs to another LuaState")
        if reserve() { chloe_pushref(state.handle, key.ref) }
    }

    /// Pushes a string (a protected call: it allocates). If that fails (memory), nothing is
    /// pushed and the call throws the error instead of running.
    public mutating func push(_ value: String) {
        guard failure == nil, !overflowed, chloe_checkstack(state.handle, 4) != 0 else {
            overflowed = true
            return
        }
        let handle = state.handle
        let length = value.utf8.count
        let status = value.withCString { chloe_push_string(handle, $0, length) }
        if status != LUA_OK {
            failure = state.takeError(status: status, phase: .run)
            return
        }
        count += 1
    }

    /// Pushes a light userdata (a C pointer the host keeps alive; for the runtime's C functions).
    mutating func push(pointer: UnsafeMutableRawPointer) {
        if reserve() { chloe_pushlightuserdata(state.handle, pointer) }
    }

    /// Pushes a number, or `nil` for `nil`.
    @inline(__always)
    mutating func push(_ value: Double?) {
        if let value { push(value) } else { pushNil() }
    }

    /// Pushes any ``LuaArgument``.
    public mutating func push(argument: LuaArgument) {
        switch argument {
        case .nil: pushNil()
        case let .number(value): push(value)
        case let .boolean(value): push(value)
        case let .string(value): push(value)
        case let .table(table): push(table)
        case let .function(function): push(function)
        }
    }
}
