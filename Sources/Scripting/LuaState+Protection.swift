import CLua

/// The discipline every public entry point follows: `enter` (reentrancy guard, deferred
/// releases, budget refilled and its hook armed or the entry handed to the watchdog),
/// protected C work, `check` (status -> ``LuaError``), `leave` (stack restored, entry withdrawn).
extension LuaState {
    /// Where a failing status came from: compiling a chunk, or running Lua code.
    enum Phase {
        case compile
        case run
    }

    /// Starts an entry into Lua. Returns the stack top to restore in ``leave(_:)``.
    @inline(__always)
    func enter() -> Int32 {
        precondition(control.pointee.running == 0, "LuaState is not reentrant: a host function must not use the state that calls it")
        control.pointee.running = 1
        chloe_enter(handle, control)
        if control.pointee.releases_pending != 0 { releasePending() }
        return chloe_gettop(handle)
    }

    /// Ends an entry: restores the stack and records the instruction count.
    @inline(__always)
    func leave(_ base: Int32) {
        chloe_settop(handle, base)
        control.pointee.last_instructions = chloe_instructions_used(handle, control)
        chloe_leave(handle, control)
        control.pointee.running = 0
    }

    /// Traps when used from inside a host function of this state.
    @inline(__always)
    func requireIdle() {
        precondition(control.pointee.running == 0, "LuaState is not reentrant: a host function must not use the state that calls it")
    }

    /// Throws the error on top of the stack (and pops it) unless `status` is `LUA_OK`.
    /// Also throws when the budget ran out during the entry but the script swallowed the
    /// error (a coroutine that died of it, and the caller finished within one check interval):
    /// a call that exceeded its budget never succeeds.
    @inline(__always)
    func check(_ status: Int32, phase: Phase = .run) throws(LuaError) {
        if status != LUA_OK { throw takeError(status: status, phase: phase) }
        if control.pointee.budget_exceeded != 0 { throw swallowedBudgetError() }
    }

    private func swallowedBudgetError() -> LuaError {
        let (file, line) = killLocation()
        return .instructionBudgetExceeded(budget: Int(control.pointee.budget),
                                          message: "instruction budget of \(control.pointee.budget) instructions exceeded",
                                          file: file, line: line, traceback: nil)
    }

    /// Where the budget ran out, as recorded by the hook.
    private func killLocation() -> (String?, Int?) {
        guard control.pointee.kill_line > 0 else { return (nil, nil) }
        let file = withUnsafeBytes(of: control.pointee.kill_source) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return (file, Int(control.pointee.kill_line))
    }

    /// Turns the error value on top of the stack into a ``LuaError`` and pops it.
    func takeError(status: Int32, phase: Phase) -> LuaError {
        // The message handler appended "\nstack traceback:..." and recorded the message length.
        var message: String
        var traceback: String?
        var length = 0
        if let pointer = chloe_tostring(handle, -1, &length) {
            let bytes = UnsafeRawBufferPointer(start: pointer, count: length)
            let messageLength = Int(control.pointee.error_message_length)
            let marker = "\nstack traceback:".utf8
            if status == LUA_ERRRUN, messageLength <= length, bytes[messageLength...].starts(with: marker) {
                message = String(decoding: bytes[..<messageLength], as: UTF8.self)
                traceback = String(decoding: bytes[(messageLength + 1)...], as: UTF8.self)
            } else {
                message = String(decoding: bytes, as: UTF8.self)
            }
        } else {
            message = "(error object is a \(String(cString: chloe_typename_of(handle, -1))) value)"
        }
        chloe_pop(handle, 1)

        var (file, line, bare) = LuaError.splitLocation(message)
        if file == nil, control.pointee.error_line > 0 {
            file = withUnsafeBytes(of: control.pointee.error_source) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            line = Int(control.pointee.error_line)
        }

        if control.pointee.budget_exceeded != 0 {
            if file == nil { (file, line) = killLocation() }
            return .instructionBudgetExceeded(budget: Int(control.pointee.budget), message: bare, file: file, line: line, traceback: traceback)
        }
        if status == LUA_ERRMEM {
            return .memoryLimitExceeded(limit: limits.memoryLimit, message: bare)
        }
        if phase == .compile {
            return .syntax(bare, file: file, line: line)
        }
        return .runtime(bare, file: file, line: line, traceback: traceback)
    }

    /// Frees the registry references of handles that were deinitialized.
    func releasePending() {
        let refs = pendingReleases.map { Int32($0) }
        pendingReleases.removeAll(keepingCapacity: true)
        control.pointee.releases_pending = 0
        let status = refs.withUnsafeBufferPointer { chloe_unref(handle, $0.baseAddress, Int32($0.count)) }
        if status != LUA_OK { chloe_pop(handle, 1) } // only a memory error is possible; the refs leak
    }

    /// Called by handle deinitializers: the reference is freed at the next entry.
    func deferRelease(_ ref: Int32) {
        pendingReleases.append(ref)
        control.pointee.releases_pending = 1
    }

    /// `String.withCString` for bodies that throw ``LuaError``; also passes the UTF-8 length.
    func withCString<Output>(
        _ string: String,
        _ body: (UnsafePointer<CChar>, Int) throws(LuaError) -> Output
    ) throws(LuaError) -> Output {
        let length = string.utf8.count
        let outcome: Result<Output, LuaError> = string.withCString { pointer in
            do throws(LuaError) {
                return .success(try body(pointer, length))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }
}
