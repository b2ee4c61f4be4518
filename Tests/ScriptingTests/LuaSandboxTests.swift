import Testing
@testable import Scripting

@Suite struct LuaSandboxTests {
    @Test(arguments: ["io", "dofile", "loadfile", "require", "package", "debug", "warn"])
    func dangerousGlobalIsAbsent(name: String) throws {
        let lua = try ScriptFixtures.state("sandbox")
        #expect(try lua.global(name) == .nil)
        #expect(try lua.callForValues("absent", .string(name)) == [.boolean(true)])
    }

    @Test func osHasOnlyClockFunctions() throws {
        let lua = try ScriptFixtures.state("sandbox")
        #expect(try lua.callForValues("os_functions") == [.string("clock,date,time")])
        #expect(try lua.callForValues("clock_reads") == [.string("number"), .string("number"), .string("string")])
        let error = luaError { try lua.load(source: "os.execute('true')", name: "exec") }
        #expect(error?.code == .runtime)
        #expect(error?.message.contains("attempt to call a nil value (field 'execute')") == true)
    }

    @Test func safeLibrariesArePresent() throws {
        let lua = try LuaState()
        for library in LuaSandbox.libraries {
            #expect(try lua.global(library).typeName == "table", "\(library)")
        }
        try lua.load(source: """
            assert(string.format("%.2f", math.pi) == "3.14")
            assert(table.concat({1, 2}, ",") == "1,2")
            assert(utf8.len("héllo") == 5)
            local co = coroutine.wrap(function() coroutine.yield(1) end)
            assert(co() == 1)
            assert(select("#", 1, 2) == 2 and type(pcall) == "function" and type(setmetatable) == "function")
            assert(_G._G == _G and _VERSION == "Lua 5.4" and _ENV == _G)
            assert(("abc"):upper() == "ABC" and ("10") + 1 == 11 and math.random(3, 3) == 3)
            """, name: "libraries")
    }

    @Test func binaryChunksAreRefused() throws {
        let lua = try ScriptFixtures.state("sandbox")
        let refused = try lua.callForValues("binary_load")
        #expect(refused.first == .boolean(true))
        #expect(refused.last?.string?.contains("attempt to load a binary chunk") == true)
        let forcedMode = try lua.callForValues("binary_load_with_mode_b")
        #expect(forcedMode.first == .boolean(true))
        #expect(try lua.callForValues("text_load") == [.number(3)])
        #expect(try lua.callForValues("text_load_with_env") == [.number(7)])

        let error = luaError { try lua.load(source: "\u{1B}Lua\u{54}\u{00}binary", name: "dump") }
        #expect(error?.code == .syntax)
        #expect(error?.message.contains("binary chunk") == true)
    }

    @Test func wrappedBaseFunctionsBehaveAsUsual() throws {
        let lua = try ScriptFixtures.state("sandbox")
        #expect(try lua.callForValues("xpcall_handler") == [.boolean(false), .string("handled: e")])
        #expect(try lua.callForValues("yield_across_xpcall") == [.number(1), .boolean(true), .number(2)])
        let wrapped = try lua.callForValues("wrap_closes_normally")
        #expect(wrapped.first == .boolean(false))
        #expect(wrapped[1].string?.hasSuffix("boom") == true)
        #expect(wrapped.last == .boolean(true))
        #expect(try lua.callForValues("close_suspended") == [.boolean(true), .boolean(true)])
    }

    @Test func finalizersAreRefused() throws {
        let lua = try ScriptFixtures.state("sandbox")
        let result = try lua.callForValues("finalizer")
        #expect(result.first == .boolean(false))
        #expect(result.last?.string?.contains("__gc metamethods are not available") == true)
    }

    @Test func collectgarbageIsRestricted() throws {
        let lua = try ScriptFixtures.state("sandbox")
        for option in ["collect", "count", "step"] {
            #expect(try lua.callForValues("gc", .string(option)).first == .boolean(true), "\(option)")
        }
        for option in ["stop", "generational", "incremental", "setpause"] {
            let result = try lua.callForValues("gc", .string(option))
            #expect(result.first == .boolean(false), "\(option)")
            #expect(result.last?.string?.contains("not available in the sandbox") == true)
        }
    }
}
