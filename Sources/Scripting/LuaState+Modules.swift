import CLua

/// What the strategy runtime needs beyond the core bridge: loading a chunk as a module (its
/// returned value kept), copying a table from another state, and C functions the runtime
/// installs (the history readers and `where`).
extension LuaState {
    /// Compiles and runs `source` as a chunk named `name` and returns the table it returns.
    ///
    /// - Throws: ``LuaError/Code/syntax`` when it does not compile; a runtime, budget or memory
    ///   error when its top level fails; ``LuaError/Code/badReturnType`` when it returns
    ///   something other than a table.
    public func loadModule(source: String, name: String) throws(LuaError) -> LuaTable {
        var source = source
        let outcome: Result<LuaTable, LuaError> = source.withUTF8 { bytes in
            do throws(LuaError) {
                return .success(try loadModule(bytes: UnsafeRawBufferPointer(bytes), name: name))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// Runs `bytecode` made by ``compile(source:name:)`` (in any state) as a module: the same
    /// as ``loadModule(source:name:)`` without parsing the source again. Only bytecode the
    /// host compiled itself is loaded this way; scripts can never load binary chunks.
    public func loadModule(bytecode: LuaBytecode) throws(LuaError) -> LuaTable {
        let outcome: Result<LuaTable, LuaError> = bytecode.bytes.withUnsafeBytes { bytes in
            do throws(LuaError) {
                return .success(try loadModule(bytes: bytes, name: bytecode.name, mode: "b"))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// ``loadModule(bytecode:)`` with `functions` then `arguments` handed to the chunk (its
    /// `...`): how the host gives a chunk of its own what it needs without making globals of it
    /// first. C functions without upvalues are pushed as they are (no allocation); the values
    /// are references, numbers or strings whose bytes stay valid during the call.
    func loadModule(bytecode: LuaBytecode, functions: [lua_CFunction], arguments: [chloe_value]) throws(LuaError) -> LuaTable {
        let outcome: Result<LuaTable, LuaError> = bytecode.bytes.withUnsafeBytes { bytes in
            functions.withUnsafeBufferPointer { functions in
                arguments.withUnsafeBufferPointer { arguments in
                    do throws(LuaError) {
                        return .success(try loadModule(bytes: bytes, name: bytecode.name, mode: "b", functions: functions,
                                                       arguments: arguments))
                    } catch {
                        return .failure(error)
                    }
                }
            }
        }
        return try outcome.get()
    }

    /// Compiles `source` (without running it) into bytecode that any state can load with
    /// ``loadModule(bytecode:)``.
    ///
    /// - Throws: ``LuaError/Code/syntax`` when it does not compile.
    public func compile(source: String, name: String) throws(LuaError) -> LuaBytecode {
        try compile(source: source, name: name, strippingDebugInformation: false)
    }

    /// ``compile(source:name:)``, optionally without debug information (line numbers, local
    /// names): smaller and faster to load, for the host's own chunks whose errors carry their
    /// own positions. Errors inside stripped code report no line (`?`).
    func compile(source: String, name: String, strippingDebugInformation: Bool) throws(LuaError) -> LuaBytecode {
        var source = source
        let outcome: Result<LuaBytecode, LuaError> = source.withUTF8 { bytes in
            do throws(LuaError) {
                let base = enter()
                defer { leave(base) }
                return .success(try withCString("=" + name) { chunkName, _ throws(LuaError) in
                    var request = chloe_dump_request()
                    request.buffer = UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self)
                    request.length = bytes.count
                    request.chunkname = chunkName
                    request.strip = strippingDebugInformation ? 1 : 0
                    let status = chloe_dump_chunk(handle, &request)
                    defer { chloe_free_dump(request.data) }
                    try check(status, phase: .compile)
                    guard request.failed == 0, let data = request.data else { throw .memoryLimitExceeded(limit: limits.memoryLimit) }
                    return LuaBytecode(name: name, bytes: Array(UnsafeRawBufferPointer(start: data, count: request.size)))
                })
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// Loads `bytecode` made by ``compile(source:name:)`` as a function without running it.
    func loadChunk(bytecode: LuaBytecode) throws(LuaError) -> LuaFunction {
        let base = enter()
        defer { leave(base) }
        let outcome: Result<Int32, LuaError> = bytecode.bytes.withUnsafeBytes { bytes in
            do throws(LuaError) {
                return .success(try withCString("=" + bytecode.name) { chunkName, _ throws(LuaError) in
                    var request = chloe_module_request()
                    request.buffer = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
                    request.length = bytes.count
                    request.chunkname = chunkName
                    try check(chloe_load_chunk(handle, &request), phase: .compile)
                    return request.ref
                })
            } catch {
                return .failure(error)
            }
        }
        return LuaFunction(state: self, name: bytecode.name, ref: try outcome.get())
    }

    private func loadModule(bytes: UnsafeRawBufferPointer, name: String, mode: String = "t",
                            functions: UnsafeBufferPointer<lua_CFunction> = UnsafeBufferPointer(start: nil, count: 0),
                            arguments: UnsafeBufferPointer<chloe_value> = UnsafeBufferPointer(start: nil, count: 0))
        throws(LuaError) -> LuaTable {
        let base = enter()
        defer { leave(base) }
        return try withCString("=" + name) { chunkName, _ throws(LuaError) in
            var request = chloe_module_request()
            request.buffer = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
            request.length = bytes.count
            request.chunkname = chunkName
            request.mode = mode == "b" ? Self.binaryMode : Self.textMode
            request.functions = UnsafePointer(OpaquePointer(functions.baseAddress))
            request.function_count = Int32(functions.count)
            request.arguments = arguments.baseAddress
            request.argument_count = Int32(arguments.count)
            let status = chloe_load_module(handle, &request)
            try check(status, phase: request.compiled == 0 ? .compile : .run)
            guard request.type == LUA_TTABLE else {
                if request.ref != LUA_REFNIL, request.ref != chloe_noref() { deferRelease(request.ref) }
                throw .badReturnType(function: name, position: 1, expected: "a table (end the file with `return { ... }`)",
                                     found: Self.typeName(request.type))
            }
            return LuaTable(state: self, ref: request.ref)
        }
    }

    nonisolated(unsafe) private static let textMode = UnsafePointer(strdup("t")!)
    nonisolated(unsafe) private static let binaryMode = UnsafePointer(strdup("b")!)

    /// Copies `table` (which lives in another state) into this state: numbers, strings,
    /// booleans and nested tables up to `maximumDepth` levels; functions, userdata and
    /// coroutines are left out. Returns the copy and how many values were left out.
    public func copy(_ table: LuaTable, maximumDepth: Int = 32) throws(LuaError) -> (table: LuaTable, skipped: Int) {
        precondition(table.state !== self, "copy(_:) copies between two states")
        table.state.requireIdle()
        let base = enter()
        defer { leave(base) }
        var request = chloe_copy_request()
        request.from = table.state.handle
        request.from_ref = table.ref
        request.max_depth = Int32(maximumDepth)
        try check(chloe_copy_table(handle, &request))
        return (LuaTable(state: self, ref: request.ref), Int(request.skipped))
    }

    /// Where the instruction budget ran out during the last entry (file, line), if it did.
    /// The error that reaches the host may be raised later, in code that ran after a script
    /// caught the first kill (for example in a coroutine); this is the first place.
    var budgetKillLocation: (file: String, line: Int)? {
        guard control.pointee.kill_line > 0 else { return nil }
        let file = withUnsafeBytes(of: control.pointee.kill_source) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return (file, Int(control.pointee.kill_line))
    }
}

/// A chunk compiled by ``LuaState/compile(source:name:)``: Lua bytecode with its debug
/// information (so errors still name the file and line), loadable by any state of the same
/// Lua build with ``LuaState/loadModule(bytecode:)``.
public struct LuaBytecode: Sendable, Hashable {
    /// The chunk name errors point into.
    public let name: String
    let bytes: [UInt8]
}

extension LuaTable {
    /// The function stored under `name` in this table (raw read), resolved once.
    ///
    /// - Throws: ``LuaError/Code/missingFunction`` when the field is not a function.
    public func function(_ name: String) throws(LuaError) -> LuaFunction {
        let (ref, type) = try fieldReference(name)
        guard type == LUA_TFUNCTION else {
            if ref != chloe_noref() { state.deferRelease(ref) }
            throw .missingFunction(name, found: LuaState.typeName(type))
        }
        return LuaFunction(state: state, name: name, ref: ref)
    }

    /// The table stored under `name` in this table (raw read), or nil when the field holds
    /// something else.
    public func table(_ name: String) throws(LuaError) -> LuaTable? {
        let (ref, type) = try fieldReference(name)
        guard type == LUA_TTABLE else {
            if ref != chloe_noref() { state.deferRelease(ref) }
            return nil
        }
        return LuaTable(state: state, ref: ref)
    }

    /// The functions stored under `names` in this table (raw reads), resolved in one protected
    /// call (a strategy state resolves the runtime's seven entry points at once).
    ///
    /// - Throws: ``LuaError/Code/missingFunction`` when a field is not a function.
    func functions(_ names: [String]) throws(LuaError) -> [LuaFunction] {
        state.requireIdle()
        let packed = PackedNames(names)
        var refs = [Int32](repeating: chloe_noref(), count: names.count)
        var types = [Int32](repeating: LUA_TNONE, count: names.count)
        let base = state.enter()
        let status = packed.withPointers { pointers, lengths in
            refs.withUnsafeMutableBufferPointer { refs in
                types.withUnsafeMutableBufferPointer { types in
                    var request = chloe_fields_request(table_ref: ref, names: pointers, lengths: lengths,
                                                       refs: refs.baseAddress, types: types.baseAddress, count: Int32(names.count))
                    return chloe_field_refs(state.handle, &request)
                }
            }
        }
        do throws(LuaError) {
            try state.check(status)
        } catch {
            state.leave(base)
            for ref in refs where ref != chloe_noref() { state.deferRelease(ref) }
            throw error
        }
        state.leave(base)
        var functions: [LuaFunction] = []
        functions.reserveCapacity(names.count)
        for index in names.indices where types[index] == LUA_TFUNCTION {
            functions.append(LuaFunction(state: state, name: names[index], ref: refs[index]))
        }
        guard functions.count == names.count else {
            for index in names.indices where types[index] != LUA_TFUNCTION && refs[index] != chloe_noref() {
                state.deferRelease(refs[index])
            }
            let index = names.indices.first { types[$0] != LUA_TFUNCTION }!
            throw .missingFunction(names[index], found: LuaState.typeName(types[index]))
        }
        return functions
    }

    private func fieldReference(_ name: String) throws(LuaError) -> (Int32, Int32) {
        state.requireIdle()
        return try state.withCString(name) { pointer, length throws(LuaError) in
            var request = chloe_slot_request()
            request.table_ref = ref
            request.key_ref = chloe_noref()
            request.key = pointer
            request.key_length = length
            let base = state.enter()
            defer { state.leave(base) }
            try state.check(chloe_field_ref(state.handle, &request))
            return (request.ref, request.found_type)
        }
    }
}
