import Foundation
import Testing
@testable import Scripting

/// Shadow versions: same events, outputs marked shadow, differences counted, promote and rollback.
@Suite struct StrategyShadowTests {
    static let live = "return { on_candle = function(ctx) ctx.state.n = (ctx.state.n or 0) + 1; return 'buy', 'live ' .. ctx.state.n end }"
    static let candidate = """
    return {
      alerts = { odd = function(ctx) return ctx.state.n % 2 == 1, 'odd' end },
      on_candle = function(ctx)
        ctx.state.n = (ctx.state.n or 0) + 1
        if ctx.state.n % 2 == 0 then return 'sell', 'shadow ' .. ctx.state.n end
        return 'buy', 'shadow ' .. ctx.state.n
      end,
    }
    """

    @Test func shadowSeesTheSameEventsWithoutEmittingAsLive() throws {
        let library = StrategyFixtures.library()
        try library.upsert(name: "s", source: Self.live)
        let runner = SymbolStrategies(library: library, view: MarketView(symbol: "A/B", exchange: "t"))
        let candles = StrategyFixtures.candles(6)
        var out = Collected()
        runner.feed(Array(candles[0..<2]), into: &out)
        try library.loadShadow(name: "s", source: Self.candidate)
        runner.feed(Array(candles[2...]), into: &out)
        let live = out.signals.filter { !$0.isShadow }
        let shadow = out.signals.filter(\.isShadow)
        #expect(live.map(\.reason) == (1...6).map { "live \($0)" })
        // the shadow started from a copy of the live state (n = 2)
        #expect(shadow.map(\.reason) == (3...6).map { "shadow \($0)" })
        #expect(shadow.allSatisfy { $0.version == 2 })
        #expect(out.alerts.allSatisfy { $0.isShadow })
        let comparison = try #require(runner.shadowComparison(of: "s"))
        #expect(comparison.events == 4 && comparison.liveVersion == 1 && comparison.shadowVersion == 2)
        #expect(comparison.levelDifferences == 2) // n = 4 and 6: sell against buy
        #expect(comparison.alertDifferences == 2) // n = 3 and 5: odd
        #expect(comparison.recent.map(\.shadowLevel) == [.buy, .sell, .buy, .sell])
        #expect(comparison.recent.allSatisfy { $0.liveLevel == .buy })
        #expect(comparison.recent.count == 4)
        #expect(comparison.recent.first?.shadowAlerts == ["odd"] && comparison.recent.first?.liveAlerts == [])
    }

    @Test func promoteSwapsAtomicallyAndRollbackRestores() throws {
        let library = StrategyFixtures.library()
        try library.upsert(name: "s", source: Self.live)
        let runner = SymbolStrategies(library: library, view: MarketView(symbol: "A/B", exchange: "t"))
        let candles = StrategyFixtures.candles(6)
        var out = Collected()
        runner.feed(Array(candles[0..<2]), into: &out)
        try library.loadShadow(name: "s", source: Self.candidate)
        runner.feed([candles[2]], into: &out)
        try library.promote("s")
        out = Collected()
        runner.feed([candles[3]], into: &out)
        #expect(out.signals.map(\.reason) == ["shadow 4"])
        #expect(out.signals.allSatisfy { !$0.isShadow && $0.version == 2 })
        #expect(runner.shadowComparison(of: "s") == nil)
        try library.rollback("s")
        out = Collected()
        runner.feed([candles[4]], into: &out)
        #expect(out.signals.map(\.reason) == ["live 5"]) // v1 again, state carried
        #expect(out.signals.first?.version == 1)
        #expect(throws: StrategyError.self) { try library.promote("s") }
        try library.loadShadow(name: "s", source: Self.candidate)
        try library.discardShadow("s")
        out = Collected()
        runner.feed([candles[5]], into: &out)
        #expect(out.signals.map(\.isShadow) == [false])
    }

    @Test func promoteAndRollbackWriteTheLiveSourceToTheFile() throws {
        let folders = try StrategyFolders()
        let library = folders.library()
        let file = folders.strategies.appendingPathComponent("s.lua")
        try library.upsert(name: "s", source: Self.live)
        try library.loadShadow(name: "s", source: Self.candidate)
        #expect(try String(contentsOf: file, encoding: .utf8) == Self.live, "a shadow does not touch the file")
        let promoted = try library.promote("s")
        #expect(try String(contentsOf: file, encoding: .utf8) == Self.candidate)
        // The file event of the promotion (or a restart) loads what already runs: nothing changes.
        #expect(try library.refresh("s")?.serial == promoted.serial)
        let restored = try library.rollback("s")
        #expect(try String(contentsOf: file, encoding: .utf8) == Self.live)
        #expect(try library.refresh("s")?.serial == restored.serial)
    }
}
