import Testing
@testable import Scripting

@Suite struct LuaHostFunctionTests {
    static func state() throws -> LuaState {
        let lua = try ScriptFixtures.state("host")
        try lua.register("host_add") { call throws(LuaHostError) in
            call.push(try call.number(at: 0) + call.number(at: 1))
        }
        try lua.register("host_fail") { call throws(LuaHostError) in
            throw LuaHostError("host refused: \(try call.string(at: 0))")
        }
        try lua.register("host_many") { call in
            for value in 0..<9 { call.push(Double(value)) }
        }
        return lua
    }

    @Test func hostFunctionReturnsResults() throws {
        let lua = try Self.state()
        #expect(try lua.call("sum", 2, 40) == [42])
    }

    @Test func hostErrorSurfacesWithTheScriptLine() throws {
        let lua = try Self.state()
        let error = luaError { _ = try lua.callForValues("fail") }
        #expect(error?.code == .runtime)
        #expect(error?.file == "host.lua")
        #expect(error?.line == (try ScriptFixtures.line("host_fail", in: "host")))
        #expect(error?.message == "host refused: from the script")
    }

    @Test func badArgumentNamesTheFunction() throws {
        let lua = try Self.state()
        let error = luaError { _ = try lua.callForValues("bad_argument") }
        #expect(error?.line == (try ScriptFixtures.line("bad_argument", in: "host")))
        #expect(error?.message == "bad argument #1 to 'host_add' (number expected, got string)")
    }

    @Test func scriptCanCatchHostErrors() throws {
        let lua = try Self.state()
        let values = try lua.callForValues("caught_failure")
        #expect(values.first == .boolean(false))
        #expect(values.last?.string?.hasSuffix("host refused: caught") == true)
    }

    @Test func tooManyResultsIsAnError() throws {
        let lua = try Self.state()
        let error = luaError { _ = try lua.callForValues("many") }
        #expect(error?.message.contains("more than 8 results") == true)
    }

    @Test func hostFunctionInATable() throws {
        let lua = try Self.state()
        let double = try lua.makeHostFunction("double") { call throws(LuaHostError) in
            call.push(integer: Int(try call.number(at: 0)) * 2)
        }
        let ctx = try lua.newTable()
        try ctx.set(try lua.key("double"), double)
        #expect(try lua.callForValues("via_table", .table(ctx)) == [.number(42)])
    }

    @Test func hostFunctionsCanBeCalledDirectly() throws {
        let lua = try LuaState()
        let add = try lua.makeHostFunction("add") { call throws(LuaHostError) in
            call.push(try call.number(at: 0) + call.number(at: 1))
        }
        #expect(try lua.call(add, 1, 2) == [3])
    }
}
