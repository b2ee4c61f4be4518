import CLua
import Testing
@testable import Scripting

@Suite struct LuaCallTests {
    /// A host chunk gets its arguments as `...` (C functions, then references, strings) and the
    /// functions of the table it returns resolve in one call; a field that is not a function
    /// is named.
    @Test func moduleArgumentsAndFunctionsResolvedTogether() throws {
        let lua = try LuaState()
        let bytecode = try lua.compile(source: """
            local where, twice, label = ...
            return {
              file = function(f) return (where(f)) end,
              doubled = function(x) return twice(x) end,
              label = function() return label end,
              count = 3,
            }
            """, name: "host")
        let twice = try lua.makeHostFunction("twice") { call throws(LuaHostError) in call.push(2 * (try call.number(at: 0))) }
        let module = try "module label".withCString { label in
            try lua.loadModule(bytecode: bytecode, functions: [chloe_where_function()],
                               arguments: [.reference(twice.ref), .string(label, length: 12)])
        }
        let functions = try module.functions(["file", "doubled", "label"])
        #expect(functions.map(\.name) == ["file", "doubled", "label"])
        #expect(try lua.call(functions[1], 21) == [42])
        #expect(try lua.callForValues(functions[2]) == [.string("module label")])
        #expect(try lua.callForValues(functions[0], .function(functions[1])) == [.string("host")])
        #expect(try lua.global("where") == .nil)
        let error = luaError { _ = try module.functions(["file", "count", "missing"]) }
        #expect(error?.code == .missingFunction)
        #expect(error?.message.contains("'count'") == true, "\(error?.message ?? "")")
    }

    @Test func callsWithNumbers() throws {
        let lua = try ScriptFixtures.state("basics")
        #expect(try lua.call("add", 2, 3) == [5])
        #expect(try lua.call("divmod", 17, 5) == [3, 2])
        let add = try lua.function("add")
        #expect(try lua.call(add, 0.5, 0.25) == [0.75])
        #expect(try lua.call("nothing") == [])
    }

    @Test func reusedTableIsUpdatedInPlace() throws {
        let lua = try ScriptFixtures.state("basics")
        let onBar = try lua.function("on_bar")
        let ctx = try lua.newTable()
        let open = try lua.key("open")
        let close = try lua.key("close")
        let seen = try lua.key("seen")

        let bars: [(open: Double, close: Double)] = [(100, 101.5), (101.5, 99), (99, 99.25)]
        for (number, bar) in bars.enumerated() {
            try ctx.set(open, bar.open)
            try ctx.set(close, bar.close)
            let (difference, rising) = try lua.call(onBar, arguments: { $0.push(ctx) }) { results in
                (results.number(at: 0), results.boolean(at: 1))
            }
            #expect(difference == bar.close - bar.open)
            #expect(rising == (bar.close > bar.open))
            // the script wrote into the same table
            #expect(ctx.number(seen) == Double(number + 1))
            #expect(ctx[close] == .number(bar.close))
        }
        #expect(try lua.global("calls") == .number(3))
    }

    @Test func tableAsGlobalSeesUpdates() throws {
        let lua = try ScriptFixtures.state("basics")
        let ctx = try lua.newTable()
        let close = try lua.key("close")
        try lua.setGlobal("ctx", .table(ctx))
        let read = try lua.function("read_global_ctx")
        for value in [1.0, 2.5, -3] {
            try ctx.set(close, value)
            #expect(try lua.call(read) == [value])
        }
    }

    @Test func fieldSetToNilByScriptCanBeSetAgain() throws {
        let lua = try LuaState()
        try lua.load(source: "function clear(t) t.x = nil; collectgarbage() end function get(t) return t.x end", name: "clear")
        let t = try lua.newTable()
        let x = try lua.key("x")
        try t.set(x, 1)
        _ = try lua.callForValues("clear", .table(t))
        #expect(t[x] == .nil)
        try t.set(x, 2)   // slow path again: the key was removed
        #expect(try lua.callForValues("get", .table(t)) == [.number(2)])
        try t.set(x, 3)   // fast path
        #expect(try lua.callForValues("get", .table(t)) == [.number(3)])
    }

    @Test func readsStringsBooleansAndNil() throws {
        let lua = try ScriptFixtures.state("basics")
        let values = try lua.callForValues("describe", 1.5)
        #expect(values == [.string("value 1.5"), .boolean(true), .nil])
        let describe = try lua.function("describe")
        let text = try lua.call(describe, arguments: { $0.pushNil() }) { results in
            (results.string(at: 0), results.boolean(at: 1), results.isNil(at: 2), results.count)
        }
        #expect(text == ("value nil", false, true, 3))
    }

    @Test func readsReturnedTableFields() throws {
        let lua = try ScriptFixtures.state("basics")
        let ctx = try lua.newTable()
        try ctx.set("open", 10)
        try ctx.set("close", 12)
        let order = try lua.function("order")
        let size = try lua.key("size")
        let price = try lua.key("price")
        let side = try lua.key("side")
        let missing = try lua.key("missing")
        let read = try lua.call(order, arguments: { $0.push(ctx) }) { results in
            (results.number(size, inTableAt: 0), results.number(price, inTableAt: 0),
             results.value(side, inTableAt: 0), results.optionalNumber(missing, inTableAt: 0),
             results.numberFields(inTableAt: 0))
        }
        #expect(read.0 == 2.5)
        #expect(read.1 == 12)
        #expect(read.2 == .string("buy"))
        #expect(read.3 == nil)
        #expect(read.4 == ["size": 2.5, "price": 12])

        let copied = try lua.callForValues(order, .table(ctx))
        #expect(copied == [.table(["side": .string("buy"), "size": .number(2.5), "price": .number(12), "meta": .table(["tag": .string("t")])])])
    }

    @Test func passesMixedArguments() throws {
        let lua = try ScriptFixtures.state("basics")
        let ctx = try lua.newTable()
        let values = try lua.callForValues("echo", 1, "two", true, .nil, .table(ctx))
        #expect(values.count == 5)
        #expect(Array(values.prefix(4)) == [.number(1), .string("two"), .boolean(true), .nil])
        #expect(values[4] == .table([:]))
        let key = try lua.key("interned")
        let echoed = try lua.call("echo", arguments: { $0.push(key) }) { $0.string(at: 0) }
        #expect(echoed == "interned")
    }

    @Test func wrongReturnTypeIsReported() throws {
        let lua = try ScriptFixtures.state("basics")
        let error = luaError { _ = try lua.call("wrong_type") }
        #expect(error?.code == .badReturnType)
        #expect(error?.description.contains("'wrong_type' returned a string as result #1; expected a number") == true)
        let nothing = luaError { _ = try lua.call("nothing", arguments: { _ in }) { $0.number(at: 0) } }
        #expect(nothing?.code == .badReturnType)
        #expect(nothing?.message.contains("returned nothing as result #1") == true)
    }

    @Test func mismatchInsideTheReaderFailsTheCall() throws {
        let lua = try ScriptFixtures.state("basics")
        let ctx = try lua.newTable()
        try ctx.set("open", 1)
        try ctx.set("close", 2)
        let side = try lua.key("side")
        let size = try lua.key("size")
        let missing = try lua.key("missing")
        // a string field read as a number
        let wrongField = luaError { _ = try lua.call("order", arguments: { $0.push(ctx) }) { $0.number(side, inTableAt: 0) } }
        #expect(wrongField?.code == .badReturnType)
        #expect(wrongField?.message == "'order' returned a table with a string there as result #1; expected a table with a number in field 'side'")
        // an absent field required as a number
        let absent = luaError { _ = try lua.call("order", arguments: { $0.push(ctx) }) { $0.number(missing, inTableAt: 0) } }
        #expect(absent?.message == "'order' returned a table without it as result #1; expected a table with a number in field 'missing'")
        // a number where a table was expected; only the first mismatch is reported
        let notTable = luaError { _ = try lua.call("add", arguments: { $0.push(1); $0.push(2) }) { results in
            (results.number(size, inTableAt: 0), results.string(at: 0))
        } }
        #expect(notTable?.message == "'add' returned a number as result #1; expected a table")
        // the state is fine afterwards and the mismatch does not leak into the next call
        #expect(try lua.call("order", arguments: { $0.push(ctx) }) { $0.number(size, inTableAt: 0) } == 2.5)
    }

    @Test func missingFunction() throws {
        let lua = try ScriptFixtures.state("basics")
        let byName = luaError { _ = try lua.call("on_tick", 1) }
        #expect(byName?.code == .missingFunction)
        #expect(byName?.description.contains("defines no function 'on_tick' (the global 'on_tick' is nil)") == true)
        let resolved = luaError { _ = try lua.function("calls") }
        #expect(resolved?.code == .missingFunction)
        #expect(resolved?.message.contains("is a number") == true)
        #expect(try lua.hasFunction("add"))
        #expect(try !lua.hasFunction("on_tick"))
        // the state is still usable
        #expect(try lua.call("add", 1, 1) == [2])
    }

    @Test func printGoesToTheHandler() throws {
        let lua = try ScriptFixtures.state("sandbox")
        var lines: [String] = []
        lua.printHandler = { lines.append($0) }
        _ = try lua.callForValues("printer")
        #expect(lines == ["hello\t1\ttrue\tnil"])
        lua.printHandler = nil
        _ = try lua.callForValues("printer")
        #expect(lines.count == 1)
    }

    @Test func handlesAreReleased() throws {
        let lua = try LuaState()
        try lua.load(source: "function f() return 1 end", name: "f")
        for _ in 0..<1_000 {
            _ = try lua.newTable()
            _ = try lua.key("k")
            _ = try lua.function("f")
        }
        try lua.collectGarbage()
        let settled = lua.memoryInUse
        for _ in 0..<1_000 {
            _ = try lua.newTable()
            _ = try lua.function("f")
        }
        try lua.collectGarbage()
        #expect(lua.memoryInUse <= settled + 4096)
    }
}
