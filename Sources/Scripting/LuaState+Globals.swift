import CLua

/// Handles and globals: interned keys, reused tables, resolved functions, host functions,
/// and raw reads and writes of globals. Every operation here is a protected call.
extension LuaState {
    /// Interns `name` once, for cheap table reads and writes (see ``LuaKey``).
    public func key(_ name: String) throws(LuaError) -> LuaKey {
        let ref = try makeReference(.string(name))
        return LuaKey(state: self, name: name, ref: ref)
    }

    /// Interns every name of `names` in one protected call (state setup interns dozens).
    public func keys(_ names: [String]) throws(LuaError) -> [LuaKey] {
        guard !names.isEmpty else { return [] }
        let packed = PackedNames(names)
        var refs = [Int32](repeating: chloe_noref(), count: names.count)
        let base = enter()
        defer { leave(base) }
        let status = packed.withPointers { pointers, lengths in
            refs.withUnsafeMutableBufferPointer { refs in
                var request = chloe_intern_request(names: pointers, lengths: lengths, refs: refs.baseAddress, count: Int32(names.count))
                return chloe_intern(handle, &request)
            }
        }
        if status != LUA_OK {
            for ref in refs where ref != chloe_noref() && ref != LUA_REFNIL { deferRelease(ref) }
            try check(status)
        }
        return zip(names, refs).map { LuaKey(state: self, name: $0, ref: $1) }
    }

    /// Creates an empty table the host keeps and updates in place (see ``LuaTable``).
    public func newTable() throws(LuaError) -> LuaTable {
        var value = chloe_value()
        value.kind = CHLOE_VALUE_NEW_TABLE
        let ref = try makeReference(value)
        return LuaTable(state: self, ref: ref)
    }

    /// Resolves the global function `name` once, for calls without a lookup.
    ///
    /// - Throws: ``LuaError/Code/missingFunction`` when the global is not a function.
    public func function(_ name: String) throws(LuaError) -> LuaFunction {
        let base = enter()
        defer { leave(base) }
        return try withCString(name) { pointer, length throws(LuaError) in
            var request = globalRequest(pointer, length)
            try check(chloe_function_ref(handle, &request))
            guard request.found_type == LUA_TFUNCTION else {
                throw .missingFunction(name, found: Self.typeName(request.found_type))
            }
            return LuaFunction(state: self, name: name, ref: request.ref)
        }
    }

    /// Whether the global `name` is a function (for optional callbacks such as `on_start`).
    public func hasFunction(_ name: String) throws(LuaError) -> Bool {
        (try global(name)).typeName == "function"
    }

    /// The global `name` (raw read), copied out.
    public func global(_ name: String) throws(LuaError) -> LuaValue {
        let base = enter()
        defer { leave(base) }
        return try withCString(name) { pointer, length throws(LuaError) in
            var request = globalRequest(pointer, length)
            try check(chloe_get(handle, &request))
            return value(at: -1)
        }
    }

    /// Sets the global `name` (raw write), for example the context table: `setGlobal("ctx", .table(ctx))`.
    public func setGlobal(_ name: String, _ value: LuaArgument) throws(LuaError) {
        let base = enter()
        defer { leave(base) }
        try withValue(value) { raw throws(LuaError) in
            try withCString(name) { pointer, length throws(LuaError) in
                var request = globalRequest(pointer, length)
                request.value = raw
                try check(chloe_set(handle, &request))
            }
        }
    }

    /// Makes a host function: a Lua function backed by a C trampoline that runs `body`.
    /// Store it in a global (``register(_:_:)``) or in a table (``LuaTable/set(_:_:)-(LuaKey,LuaFunction)``).
    /// `name` appears in argument errors ("bad argument #1 to 'name' ...").
    ///
    /// The body must not use this state (it runs while the state is busy); it returns
    /// results with `push` and fails by throwing ``LuaHostError``.
    public func makeHostFunction(_ name: String, _ body: @escaping LuaHostFunction) throws(LuaError) -> LuaFunction {
        let box = LuaHostFunctionBox(name: name, body: body)
        let base = enter()
        defer { leave(base) }
        var ref: Int32 = chloe_noref()
        try check(chloe_make_host_function(handle, Unmanaged.passUnretained(box).toOpaque(), &ref))
        hostFunctions.append(box)
        return LuaFunction(state: self, name: name, ref: ref)
    }

    /// Defines the global function `name`, backed by `body` (see ``makeHostFunction(_:_:)``).
    public func register(_ name: String, _ body: @escaping LuaHostFunction) throws(LuaError) {
        let function = try makeHostFunction(name, body)
        try setGlobal(name, .function(function))
    }

    // MARK: Helpers

    private func globalRequest(_ name: UnsafePointer<CChar>, _ length: Int) -> chloe_slot_request {
        var request = chloe_slot_request()
        request.table_ref = chloe_noref()
        request.key_ref = chloe_noref()
        request.key = name
        request.key_length = length
        request.ref = chloe_noref()
        return request
    }

    private func makeReference(_ argument: LuaArgument) throws(LuaError) -> Int32 {
        try withValue(argument) { raw throws(LuaError) in try makeReference(raw) }
    }

    private func makeReference(_ value: chloe_value) throws(LuaError) -> Int32 {
        let base = enter()
        defer { leave(base) }
        var request = chloe_slot_request()
        request.value = value
        try check(chloe_make_ref(handle, &request))
        return request.ref
    }
}
