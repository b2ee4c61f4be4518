import CLua

/// Calling Lua functions from the host.
///
/// The core form takes two non-escaping closures: `arguments` pushes values with
/// ``LuaArguments`` and `results` reads the returned values in place with ``LuaResults``.
/// With a resolved ``LuaFunction``, numbers and a reused ``LuaTable`` as arguments, and
/// numbers or ``LuaKey`` fields as results, a call allocates nothing on the Swift side and
/// runs exactly one protected call. The other forms are conveniences built on it.
extension LuaState {
    /// Calls `function` with the arguments `arguments` pushes and returns what `results` reads.
    public func call<Output>(
        _ function: LuaFunction,
        arguments: (inout LuaArguments) -> Void = { _ in },
        results: (borrowing LuaResults) -> Output
    ) throws(LuaError) -> Output {
        precondition(function.state === self, "LuaFunction belongs to another LuaState")
        let base = enter()
        defer { leave(base) }
        guard chloe_checkstack(handle, 2) != 0 else { throw .memoryLimitExceeded(limit: limits.memoryLimit) }
        chloe_pushcfunction(handle, chloe_message_handler)
        chloe_pushref(handle, function.ref)
        return try invoke(base: base, name: function.name, extraArguments: 0, arguments: arguments) { view in results(view) }
    }

    /// Calls the global function `name` (looked up on every call; use ``function(_:)`` and the
    /// ``LuaFunction`` form on hot paths).
    ///
    /// - Throws: ``LuaError/Code/missingFunction`` when the global is not a function.
    public func call<Output>(
        _ name: String,
        arguments: (inout LuaArguments) -> Void = { _ in },
        results: (borrowing LuaResults) -> Output
    ) throws(LuaError) -> Output {
        let base = enter()
        defer { leave(base) }
        return try withCString(name) { pointer, _ throws(LuaError) in
            var request = chloe_call_request()
            request.function_name = pointer
            request.found_type = LUA_TNONE
            return try withUnsafeMutablePointer(to: &request) { request throws(LuaError) in
                guard chloe_checkstack(handle, 3) != 0 else { throw .memoryLimitExceeded(limit: limits.memoryLimit) }
                chloe_pushcfunction(handle, chloe_message_handler)
                chloe_pushcfunction(handle, chloe_call_global_protected)
                chloe_pushlightuserdata(handle, request)
                return try invoke(base: base, name: name, extraArguments: 1, arguments: arguments) { view throws(LuaError) in
                    if request.pointee.found_type != LUA_TFUNCTION {
                        throw .missingFunction(name, found: Self.typeName(request.pointee.found_type))
                    }
                    return results(view)
                }
            }
        }
    }

    /// Pushes the arguments, runs the protected call and hands the results to `results`.
    /// Stack on entry: handler at `base + 1`, callee at `base + 2`, then `extraArguments`.
    private func invoke<Output>(
        base: Int32,
        name: String,
        extraArguments: Int32,
        arguments: (inout LuaArguments) -> Void,
        results: (borrowing LuaResults) throws(LuaError) -> Output
    ) throws(LuaError) -> Output {
        var pushed = LuaArguments(state: self)
        arguments(&pushed)
        if let failure = pushed.failure { throw failure }
        if pushed.overflowed { throw .memoryLimitExceeded(limit: limits.memoryLimit) }
        let status = chloe_pcall(handle, extraArguments + pushed.count, chloe_multret(), base + 1)
        try check(status)
        let first = base + 2
        let view = LuaResults(state: self, first: first, count: Int(chloe_gettop(handle) - first + 1), functionName: name)
        control.pointee.result_mismatch = 0
        let output = try results(view)
        if control.pointee.result_mismatch != 0, let mismatch = resultMismatch {
            control.pointee.result_mismatch = 0
            resultMismatch = nil
            throw mismatch
        }
        return output
    }

    static func typeName(_ type: Int32) -> String {
        switch type {
        case LUA_TNIL, LUA_TNONE: "nil"
        case LUA_TBOOLEAN: "a boolean"
        case LUA_TNUMBER: "a number"
        case LUA_TSTRING: "a string"
        case LUA_TTABLE: "a table"
        case LUA_TFUNCTION: "a function"
        case LUA_TTHREAD: "a coroutine"
        default: "a userdata"
        }
    }

    // MARK: Conveniences

    /// Calls `function` with numbers; every result must be a number.
    public func call(_ function: LuaFunction, _ arguments: Double...) throws(LuaError) -> [Double] {
        try call(function, arguments: { pushed in arguments.forEach { pushed.push($0) } }, results: Self.numbers)
    }

    /// Calls the global function `name` with numbers; every result must be a number.
    public func call(_ name: String, _ arguments: Double...) throws(LuaError) -> [Double] {
        try call(name, arguments: { pushed in arguments.forEach { pushed.push($0) } }, results: Self.numbers)
    }

    /// Calls `function` with any arguments and copies every result out.
    public func callForValues(_ function: LuaFunction, _ arguments: LuaArgument...) throws(LuaError) -> [LuaValue] {
        try call(function, arguments: { pushed in
            for argument in arguments { pushed.push(argument: argument) }
        }, results: { $0.values() })
    }

    /// Calls the global function `name` with any arguments and copies every result out.
    public func callForValues(_ name: String, _ arguments: LuaArgument...) throws(LuaError) -> [LuaValue] {
        try call(name, arguments: { pushed in
            for argument in arguments { pushed.push(argument: argument) }
        }, results: { $0.values() })
    }

    private static func numbers(_ results: borrowing LuaResults) -> [Double] {
        var numbers: [Double] = []
        numbers.reserveCapacity(results.count)
        for position in 0..<results.count { numbers.append(results.number(at: position)) }
        return numbers
    }
}
