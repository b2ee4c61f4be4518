import Foundation
import Indicators
import Testing
@testable import Scripting

/// Hot reload: new versions between events, state carried over, broken files keep the old
/// version, deletes unload, plugin changes reload dependents, nothing lost or seen twice.
@Suite struct StrategyReloadTests {
    static func counter(_ tag: String, extra: String = "") -> String {
        """
        return {
          init = function(state) state.events = state.events or 0 end,\(extra)
          on_candle = function(ctx)
            ctx.state.events = ctx.state.events + 1
            ctx.state.seen = ctx.state.seen or {}
            ctx.state.seen[#ctx.state.seen + 1] = ctx.candle.time
            return "buy", "\(tag) " .. ctx.state.events .. " " .. #ctx.state.seen
          end,
        }
        """
    }

    @Test func editedFileRunsFromTheNextEventWithItsStateCarriedOver() throws {
        let folders = try StrategyFolders()
        try folders.write(strategy: "counter", Self.counter("v1"))
        let library = folders.library()
        #expect(library.reloadAll().isEmpty)
        let symbols = (0..<3).map { SymbolStrategies(library: library, view: MarketView(symbol: "S\($0)/USDT", exchange: "t")) }
        let candles = StrategyFixtures.candles(10)
        var out = Collected()
        for (index, candle) in candles.enumerated() {
            if index == 4 {
                try folders.write(strategy: "counter", Self.counter("v2"))
                try library.refresh("counter")
            }
            for symbol in symbols { out.add(symbol.onCandle(timeframe: "1m", candle: candle)) }
        }
        #expect(out.faults.isEmpty, "\(out.faults)")
        for symbol in symbols {
            // one signal per event, the count continuous across the reload (state carried,
            // including the array part), no event lost or duplicated
            let reasons = out.signals(symbol.view.symbol).map(\.reason)
            #expect(reasons == (1...10).map { "\($0 <= 4 ? "v1" : "v2") \($0) \($0)" })
            #expect(Set(out.signals(symbol.view.symbol).map(\.time)).count == 10)
            #expect(symbol.version(of: "counter") == 2)
        }
        #expect(out.notices.filter { $0.kind == .reloaded }.count == 3)
        #expect(out.signals.filter { $0.reason.hasPrefix("v2") }.allSatisfy { $0.version == 2 })
    }

    @Test func brokenFileKeepsThePreviousVersionAndReportsFileAndLine() throws {
        let folders = try StrategyFolders()
        try folders.write(strategy: "counter", Self.counter("v1"))
        let library = folders.library()
        library.reloadAll()
        let runner = SymbolStrategies(library: library, view: MarketView(symbol: "A/B", exchange: "t"))
        let candles = StrategyFixtures.candles(4)
        var out = Collected()
        runner.feed(Array(candles[0..<2]), into: &out)
        try folders.write(strategy: "counter", "return {\n  on_candle = function(ctx)\n    return 'buy' +\n  end,\n}\n")
        let error = try #require(throws: StrategyError.self) { try library.refresh("counter") }
        #expect(error.code == .syntax && error.file == "counter.lua" && error.line == 4)
        let status = try #require(library.status(of: "counter"))
        #expect(status.state == .runningPreviousVersion && status.lastError == error && status.live?.number == 1)
        runner.feed(Array(candles[2...]), into: &out)
        #expect(out.signals.map(\.reason) == ["v1 1 1", "v1 2 2", "v1 3 3", "v1 4 4"])
        // a script whose init fails is refused the same way
        try folders.write(strategy: "counter", "return {\n  init = function(state)\n    error('no init for you')\n  end,\n  on_candle = function() end,\n}\n")
        let initError = try #require(throws: StrategyError.self) { try library.reload("counter") }
        #expect(initError.code == .runtime && initError.line == 3 && initError.message.contains("no init for you"))
        #expect(library.status(of: "counter")?.live?.number == 1)
    }

    @Test func deletedFileUnloadsEverywhere() throws {
        let folders = try StrategyFolders()
        try folders.write(strategy: "a", Self.counter("a"))
        try folders.write(strategy: "b", Self.counter("b"))
        let library = folders.library()
        library.reloadAll()
        let runner = SymbolStrategies(library: library, view: MarketView(symbol: "A/B", exchange: "t"))
        let candles = StrategyFixtures.candles(2)
        #expect(runner.onCandle(timeframe: "1m", candle: candles[0]).signals.count == 2)
        try folders.delete(strategy: "a")
        library.reloadAll()
        let out = runner.onCandle(timeframe: "1m", candle: candles[1])
        #expect(out.signals.map(\.strategy) == ["b"])
        #expect(out.notices.filter { $0.kind == .unloaded }.map(\.strategy) == ["a"])
        #expect(runner.strategyNames == ["b"])
        #expect(library.names == ["b"])
    }

    @Test func pluginChangeReloadsOnlyTheStrategiesThatRequireIt() throws {
        let folders = try StrategyFolders()
        try folders.write(plugin: "scale", "return { factor = 2 }")
        try folders.write(strategy: "uses", "local s = require('scale')\nreturn { on_candle = function() return 'buy', 'x' .. s.factor end }")
        try folders.write(strategy: "plain", Self.counter("plain"))
        let library = folders.library()
        #expect(library.reloadAll().isEmpty)
        #expect(library.status(of: "uses")?.live?.manifest.requires == ["scale"])
        let runner = SymbolStrategies(library: library, view: MarketView(symbol: "A/B", exchange: "t"))
        let candles = StrategyFixtures.candles(2)
        #expect(runner.onCandle(timeframe: "1m", candle: candles[0]).signals.first { $0.strategy == "uses" }?.reason == "x2")
        try folders.write(plugin: "scale", "return { factor = 3 }")
        #expect(library.pluginChanged("scale").isEmpty)
        let out = runner.onCandle(timeframe: "1m", candle: candles[1])
        #expect(out.signals.first { $0.strategy == "uses" }?.reason == "x3")
        #expect(out.notices.map(\.strategy) == ["uses"])
        #expect(library.status(of: "plain")?.live?.number == 1)
        // a broken plugin keeps the dependents on their last good version
        try folders.write(plugin: "scale", "return { factor = }")
        let errors = library.pluginChanged("scale")
        #expect(errors.first?.file == "plugins/scale.lua" && errors.first?.line == 1)
        #expect(library.status(of: "uses")?.state == .runningPreviousVersion)
    }

    @Test func migrateSeesTheOldStateAndReloadUnparks() throws {
        let library = StrategyFixtures.library()
        try library.upsert(name: "m", source: "return { on_candle = function(ctx) ctx.state.n = (ctx.state.n or 0) + 1; error('boom') end }")
        let runner = SymbolStrategies(library: library, view: MarketView(symbol: "A/B", exchange: "t"))
        var out = Collected()
        runner.feed(StrategyFixtures.candles(4), into: &out)
        #expect(runner.parked == ["m"])
        #expect(out.faults.count == 3)
        try library.upsert(name: "m", source: """
        return {
          migrate = function(old) return { n = old.n * 10, migrated = true } end,
          on_candle = function(ctx) ctx.state.n = ctx.state.n + 1; return 'buy', tostring(ctx.state.n) .. tostring(ctx.state.migrated) end,
        }
        """)
        let signals = runner.onCandle(timeframe: "1m", candle: StrategyFixtures.candles(1, from: 4)[0]).signals
        #expect(signals.map(\.reason) == ["31true"])
        #expect(runner.parked.isEmpty)
    }

    @Test func upsertRefusesABrokenScriptAndWritesNothing() throws {
        let folders = try StrategyFolders()
        let library = folders.library()
        let error = try #require(throws: StrategyError.self) {
            try library.upsert(name: "x", source: "return {\n  indicators = { r = ind.rsii(14) },\n  on_candle = function() end,\n}")
        }
        #expect(error.line == 2 && error.message.contains("unknown indicator 'ind.rsii'"))
        #expect(!FileManager.default.fileExists(atPath: folders.strategies.appendingPathComponent("x.lua").path))
        let bad = try #require(throws: StrategyError.self) {
            try library.upsert(name: "x", source: "return {\n  indicators = { r = ind.rsi(0) },\n  on_candle = function() end,\n}")
        }
        #expect(bad.line == 2 && bad.message.contains("ind.rsi"))
        let unknown = try #require(throws: StrategyError.self) { try library.upsert(name: "x", source: "return { on_candel = function() end }") }
        #expect(unknown.code == .invalid && unknown.message.contains("unknown field 'on_candel'"))
        let name = try #require(throws: StrategyError.self) { try library.upsert(name: "../x", source: "return {}") }
        #expect(name.code == .invalidName)
        try library.upsert(name: "x", source: Self.counter("ok"))
        #expect(FileManager.default.fileExists(atPath: folders.strategies.appendingPathComponent("x.lua").path))
        try library.remove("x")
        #expect(!FileManager.default.fileExists(atPath: folders.strategies.appendingPathComponent("x.lua").path))
        #expect(library.names.isEmpty)
    }

    @Test func watcherPicksUpEditsDeletesAndPluginChanges() async throws {
        let folders = try StrategyFolders()
        try folders.write(plugin: "tag", "return { name = 'one' }")
        try folders.write(strategy: "w", "local t = require('tag')\nreturn { on_candle = function() return 'buy', t.name end }")
        let library = folders.library()
        library.reloadAll()
        let watcher = StrategyWatcher(library: library, debounce: .milliseconds(30))
        try watcher.start()
        defer { watcher.stop() }
        try await Task.sleep(for: .milliseconds(50))
        let runner = SymbolStrategies(library: library, view: MarketView(symbol: "A/B", exchange: "t"))
        let candle = StrategyFixtures.candles(1)[0]
        #expect(runner.onCandle(timeframe: "1m", candle: candle).signals.first?.reason == "one")

        var generation = library.generation
        try folders.write(plugin: "tag", "return { name = 'two' }")
        try await waitForChange(library, from: generation)
        #expect(runner.onCandle(timeframe: "1m", candle: candle).signals.first?.reason == "two")

        generation = library.generation
        try folders.write(strategy: "w", "return { on_candle = function() return 'sell', 'edited' end }")
        try await waitForChange(library, from: generation)
        #expect(runner.onCandle(timeframe: "1m", candle: candle).signals.first?.reason == "edited")

        generation = library.generation
        try folders.delete(strategy: "w")
        try await waitForChange(library, from: generation)
        #expect(runner.onCandle(timeframe: "1m", candle: candle).signals.isEmpty)
    }

    private func waitForChange(_ library: StrategyLibrary, from generation: Int) async throws {
        for _ in 0..<200 where library.generation == generation {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(library.generation != generation, "the watcher did not apply the change within 4 s")
    }
}

/// A reload whose version declares an indicator identically (key, kind, parameters, timeframe)
/// takes over its state, continuous across the reload; a changed declaration, or an old
/// version that missed candles (parked), replays the history.
@Suite struct StrategyIndicatorAdoptionTests {
    static func source(_ tag: String, rsi: Int = 14, failBefore: Int64 = 0) -> String {
        """
        return {
          indicators = { rsi = ind.rsi(\(rsi)), macd = ind.macd(12, 26, 9), bb = ind.bbands(20, 2) },
          on_candle = function(ctx)
            if ctx.candle.time < \(failBefore) then error("boom") end
            return nil
          end, -- \(tag)
        }
        """
    }

    /// The values a fresh instance of the library's `adopt` gives after `candles`.
    static func freshValues(_ library: StrategyLibrary, candles: [Candle], capacity: Int) -> IndicatorReadings {
        let view = MarketView(symbol: "FRESH/USDT", exchange: "t", historyCapacity: capacity)
        for candle in candles { view.record(candle: candle, timeframe: "1m") }
        let fresh = SymbolStrategies(library: library, view: view)
        fresh.synchronize()
        #expect(fresh.liveInstance(of: "adopt")?.carriedIndicators == [])
        return fresh.indicatorValues(of: "adopt")
    }

    @Test(arguments: [500, 20])
    func identicalDeclarationsCarryTheOldValues(capacity: Int) throws {
        let library = StrategyFixtures.library()
        try library.upsert(name: "adopt", source: Self.source("v1"))
        let runner = SymbolStrategies(library: library, view: MarketView(symbol: "A/B", exchange: "t", historyCapacity: capacity))
        let candles = StrategyFixtures.candles(60)
        for candle in candles[..<50] { #expect(runner.onCandle(timeframe: "1m", candle: candle).faults.isEmpty) }
        let old = runner.indicatorValues(of: "adopt")
        #expect(old.count == 7) // rsi, macd (needs 33 candles), bbands
        try library.upsert(name: "adopt", source: Self.source("v2"))
        runner.synchronize()
        #expect(runner.version(of: "adopt") == 2)
        #expect(runner.liveInstance(of: "adopt")?.carriedIndicators == ["bb", "macd", "rsi"])
        // what the old version showed, even where the history (20 rows) could not replay it
        #expect(runner.indicatorValues(of: "adopt") == old)
        if capacity == 20 {
            #expect(old != Self.freshValues(library, candles: Array(candles[..<50]), capacity: capacity))
        }
        // and they go on as a version that saw every candle would
        for candle in candles[50...] { #expect(runner.onCandle(timeframe: "1m", candle: candle).faults.isEmpty) }
        #expect(runner.indicatorValues(of: "adopt") == Self.freshValues(library, candles: candles, capacity: 500))
    }

    @Test func aChangedDeclarationIsReplayedTheOthersCarried() throws {
        let library = StrategyFixtures.library()
        try library.upsert(name: "adopt", source: Self.source("v1"))
        let runner = SymbolStrategies(library: library, view: MarketView(symbol: "A/B", exchange: "t", historyCapacity: 20))
        let candles = StrategyFixtures.candles(50)
        for candle in candles { _ = runner.onCandle(timeframe: "1m", candle: candle) }
        let old = runner.indicatorValues(of: "adopt")
        try library.upsert(name: "adopt", source: Self.source("v2", rsi: 10))
        runner.synchronize()
        #expect(runner.liveInstance(of: "adopt")?.carriedIndicators == ["bb", "macd"])
        let values = runner.indicatorValues(of: "adopt")
        let replayed = Self.freshValues(library, candles: candles, capacity: 20)
        #expect(values["rsi"] != nil && values["rsi"] == replayed["rsi"] && values["rsi"] != old["rsi"])
        #expect(values.dictionary.filter { $0.key != "rsi" } == old.dictionary.filter { $0.key != "rsi" })
    }

    @Test func aParkedVersionsStaleIndicatorsAreReplayed() throws {
        let library = StrategyFixtures.library()
        let candles = StrategyFixtures.candles(50)
        // faults on the first three candles: parked, so it misses the rest
        try library.upsert(name: "adopt", source: Self.source("v1", failBefore: candles[3].time))
        let runner = SymbolStrategies(library: library, view: MarketView(symbol: "A/B", exchange: "t"))
        for candle in candles { _ = runner.onCandle(timeframe: "1m", candle: candle) }
        #expect(runner.parked == ["adopt"])
        try library.upsert(name: "adopt", source: Self.source("v2"))
        runner.synchronize()
        #expect(runner.version(of: "adopt") == 2)
        #expect(runner.liveInstance(of: "adopt")?.carriedIndicators == [])
        #expect(runner.indicatorValues(of: "adopt") == Self.freshValues(library, candles: candles, capacity: 500))
        #expect(runner.indicatorValues(of: "adopt").count == 7)
    }
}
