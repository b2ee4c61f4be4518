import Foundation
import Testing
@testable import Scripting

@Suite struct LuaErrorTests {
    @Test func syntaxErrorHasFileAndLine() throws {
        let lua = try LuaState()
        let error = luaError { try lua.load(file: ScriptFixtures.url("syntax_error")) }
        #expect(error?.code == .syntax)
        #expect(error?.file == "syntax_error.lua")
        #expect(error?.line == (try ScriptFixtures.line("syntax", in: "syntax_error")))
        #expect(error?.message.contains("near 'end'") == true)
        #expect(error?.description.hasPrefix("syntax_error.lua:4: syntax error:") == true)
    }

    @Test func syntaxErrorInSourceUsesTheGivenName() throws {
        let lua = try LuaState()
        let error = luaError { try lua.load(source: "x = 1\ny = = 2", name: "inline") }
        #expect(error?.code == .syntax)
        #expect(error?.file == "inline")
        #expect(error?.line == 2)
    }

    @Test func topLevelRuntimeErrorWhileLoading() throws {
        let lua = try LuaState()
        let error = luaError { try lua.load(file: ScriptFixtures.url("top_level_error")) }
        #expect(error?.code == .runtime)
        #expect(error?.file == "top_level_error.lua")
        #expect(error?.line == (try ScriptFixtures.line("top_level", in: "top_level_error")))
        #expect(error?.message.contains("attempt to perform arithmetic on a nil value (local 'y')") == true)
    }

    @Test(arguments: [
        ("raise_string", "raise_string", "something broke"),
        ("call_nil", "call_nil", "attempt to call a nil value (global 'undefined_function')"),
        ("arith_nil", "arith_nil", "attempt to perform arithmetic on a nil value (field 'missing')"),
        ("raise_in_caller", "raise_in_caller", "from the helper"),
    ])
    func runtimeErrorHasFileLineAndMessage(function: String, marker: String, message: String) throws {
        let lua = try ScriptFixtures.state("runtime_errors")
        let ctx = try lua.newTable()
        let error = luaError { _ = try lua.callForValues(function, .table(ctx)) }
        #expect(error?.code == .runtime)
        #expect(error?.file == "runtime_errors.lua")
        #expect(error?.line == (try ScriptFixtures.line(marker, in: "runtime_errors")))
        #expect(error?.message == message)
        #expect(error?.traceback?.hasPrefix("stack traceback:") == true)
        #expect(error?.description == "runtime_errors.lua:\(error?.line ?? 0): runtime error: \(message)")
    }

    @Test(arguments: [
        ("raise_table", "raise_table", "(error object is a table value)"),
        ("raise_table_with_tostring", "raise_tostring", "custom failure"),
        ("raise_level_zero", "raise_level_zero", "no position"),
    ])
    func errorWithoutPositionUsesTheInnermostFrame(function: String, marker: String, message: String) throws {
        let lua = try ScriptFixtures.state("runtime_errors")
        let error = luaError { _ = try lua.callForValues(function) }
        #expect(error?.code == .runtime)
        #expect(error?.message == message)
        #expect(error?.file == "runtime_errors.lua")
        #expect(error?.line == (try ScriptFixtures.line(marker, in: "runtime_errors")))
    }

    @Test func errorsCaughtByTheScriptStayInside() throws {
        let lua = try ScriptFixtures.state("runtime_errors")
        #expect(try lua.callForValues("caught") == [.boolean(false), .string("inner")])
    }

    @Test func stateIsUsableAfterErrors() throws {
        let lua = try ScriptFixtures.state("runtime_errors")
        for _ in 0..<3 {
            _ = luaError { _ = try lua.callForValues("raise_string") }
            _ = luaError { _ = try lua.callForValues("call_nil") }
        }
        try lua.load(source: "function ok() return 1 end", name: "ok")
        #expect(try lua.call("ok") == [1])
    }

    @Test func unreadableFile() throws {
        let lua = try LuaState()
        let error = luaError { try lua.load(file: URL(fileURLWithPath: "/nonexistent/strategy.lua")) }
        #expect(error?.code == .unreadableFile)
        #expect(error?.description.contains("/nonexistent/strategy.lua") == true)
    }

    @Test func locationParsing() {
        #expect(LuaError.splitLocation("a.lua:12: boom") == ("a.lua", 12, "boom"))
        #expect(LuaError.splitLocation("[string \"x\"]:3: bad: thing") == ("[string \"x\"]", 3, "bad: thing"))
        #expect(LuaError.splitLocation("no location: here") == (nil, nil, "no location: here"))
        #expect(LuaError.splitLocation(":3: empty file") == (nil, nil, ":3: empty file"))
    }
}
