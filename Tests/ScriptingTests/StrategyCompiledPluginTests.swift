import Testing
@testable import Scripting

/// Installed versions carry their plugins as bytecode (compiled once, loaded in every symbol's
/// state without parsing): they must behave exactly like the sources validation ran.
@Suite struct StrategyCompiledPluginTests {
    @Test func installedVersionCarriesOnlyTheRequiredPluginsCompiled() throws {
        let folders = try StrategyFolders()
        try folders.write(plugin: "used", "local M = {}\nfunction M.twice(x) return 2 * x end\nreturn M")
        try folders.write(plugin: "unused", "return { never = true }")
        try folders.write(strategy: "s", "local u = require('used')\nreturn { on_candle = function() return 'buy', 'x' .. u.twice(21) end }")
        let library = folders.library()
        #expect(library.reloadAll().isEmpty)
        let live = try #require(library.status(of: "s")?.live)
        #expect(live.pluginBytecode.map(\.name) == ["used"])
        #expect(live.pluginBytecode.first?.bytecode.name == "plugins/used.lua")
        let runner = SymbolStrategies(library: library, view: MarketView(symbol: "A/B", exchange: "t"))
        let out = runner.onCandle(timeframe: "1m", candle: StrategyFixtures.candles(1)[0])
        #expect(out.faults.isEmpty)
        #expect(out.signals.first?.reason == "x42")
    }

    @Test func errorInsideACompiledPluginNamesThePluginFileAndLine() throws {
        let folders = try StrategyFolders()
        try folders.write(plugin: "fragile", "local M = {}\nfunction M.check(x)\n  if x > 0 then error('fragile broke') end\nend\nreturn M")
        try folders.write(strategy: "f", "local p = require('fragile')\nreturn { on_candle = function(ctx) p.check(ctx.candle.close) end }")
        let library = folders.library()
        #expect(library.reloadAll().isEmpty)
        let runner = SymbolStrategies(library: library, view: MarketView(symbol: "A/B", exchange: "t"))
        let fault = try #require(runner.onCandle(timeframe: "1m", candle: StrategyFixtures.candles(1)[0]).faults.first)
        #expect(fault.file == "plugins/fragile.lua")
        #expect(fault.line == 3)
        #expect(fault.message.contains("fragile broke"))
    }

    @Test func pluginModuleStateStaysPerSymbol() throws {
        let folders = try StrategyFolders()
        try folders.write(plugin: "count", "local M = { n = 0 }\nfunction M.bump() M.n = M.n + 1; return M.n end\nreturn M")
        try folders.write(strategy: "c", "local c = require('count')\nreturn { on_candle = function() return 'buy', tostring(c.bump()) end }")
        let library = folders.library()
        #expect(library.reloadAll().isEmpty)
        let a = SymbolStrategies(library: library, view: MarketView(symbol: "A/B", exchange: "t"))
        let b = SymbolStrategies(library: library, view: MarketView(symbol: "C/D", exchange: "t"))
        let candles = StrategyFixtures.candles(3)
        var reasons: [String] = []
        for candle in candles { reasons.append(a.onCandle(timeframe: "1m", candle: candle).signals.first?.reason ?? "-") }
        #expect(reasons == ["1", "2", "3"])
        #expect(b.onCandle(timeframe: "1m", candle: candles[0]).signals.first?.reason == "1")
    }

    @Test func keysAreInternedInOneCall() throws {
        let lua = try LuaState()
        let keys = try lua.keys(["alpha", "beta", "gamma"])
        #expect(keys.map(\.name) == ["alpha", "beta", "gamma"])
        let table = try lua.newTable()
        try table.set(keys[1], 2.5)
        #expect(table.number(keys[1]) == 2.5)
        #expect(table.snapshot()["beta"] == .number(2.5))
        #expect(try lua.keys([]).isEmpty)
    }
}
