import Foundation
import Testing
@testable import Scripting

/// Every attack from the issue, as a strategy file: the error names the strategy, the symbol,
/// the file and the line, and the other symbol keeps producing.
@Suite struct StrategyAttackTests {
    struct Attack: Sendable, CustomStringConvertible {
        let file: String
        let message: String
        /// The reported line is the attack line (else the callback's first line: memory errors carry no position).
        var atAttackLine = true
        var description: String { file }
    }

    static let attacks: [Attack] = [
        Attack(file: "read_file", message: "attempt to index a nil value (global 'io')"),
        Attack(file: "dofile", message: "attempt to call a nil value (global 'dofile')"),
        Attack(file: "require_escape", message: "not found: require loads only plugins/"),
        Attack(file: "run_command", message: "attempt to call a nil value (field 'execute')"),
        Attack(file: "getenv", message: "attempt to call a nil value (field 'getenv')"),
        Attack(file: "bytecode", message: "attempt to load a binary chunk"),
        Attack(file: "string_rep", message: "memory limit", atAttackLine: false),
        Attack(file: "endless_loop", message: "instruction budget"),
        Attack(file: "endless_recursion", message: "instruction budget"),
        Attack(file: "growing_table", message: "memory limit", atAttackLine: false),
        Attack(file: "collect_stop", message: "collectgarbage('stop') is not available in the sandbox"),
        Attack(file: "coroutine_loop", message: "instruction budget"),
        Attack(file: "coroutine_pcall_loop", message: "instruction budget"),
        Attack(file: "debug_hook", message: "attempt to index a nil value (global 'debug')"),
    ]

    /// Each attack with the budget metered after the watchdog's time slice (the default) and
    /// on every instruction.
    @Test(arguments: attacks, [LuaLimits.Metering.afterTimeSlice, .everyInstruction])
    func attackFailsNamingWhereAndOthersGoOn(_ attack: Attack, metering: LuaLimits.Metering) throws {
        var configuration = StrategyFixtures.testConfiguration
        configuration.limits.metering = metering
        let library = StrategyFixtures.library(configuration: configuration)
        try library.upsert(name: attack.file, source: StrategyFixtures.source("attacks/" + attack.file))
        let evil = SymbolStrategies(library: library, view: MarketView(symbol: "EVIL/USDT", exchange: "test"))
        let good = SymbolStrategies(library: library, view: MarketView(symbol: "GOOD/USDT", exchange: "test"))
        var evilOut = Collected()
        var goodOut = Collected()
        for candle in StrategyFixtures.candles(5) {
            evilOut.add(evil.onCandle(timeframe: "1m", candle: candle))
            goodOut.add(good.onCandle(timeframe: "1m", candle: candle))
        }
        let fault = try #require(evilOut.faults.first, "no fault for \(attack.file)")
        #expect(fault.strategy == attack.file)
        #expect(fault.symbol == "EVIL/USDT")
        #expect(fault.file == attack.file + ".lua")
        let attackLine = try lineNumber(of: "@attack", in: "attacks/" + attack.file)
        #expect(fault.line == (attack.atAttackLine ? attackLine : 3), "\(fault)")
        #expect(fault.message.contains(attack.message), "\(fault.message)")
        #expect(evilOut.signals.isEmpty)
        // parked after three faults, reported once
        #expect(evilOut.faults.count == 3)
        #expect(evilOut.notices.filter { $0.kind == .parked }.count == 1)
        #expect(evil.parked == [attack.file])
        // the other symbol never noticed
        #expect(goodOut.faults.isEmpty)
        #expect(goodOut.signals.count == 5)
        #expect(goodOut.signals.allSatisfy { $0.reason == "still here" && $0.level == .buy })
    }

    @Test func noSymbolSeesAnotherSymbolsGlobalsPluginOrState() throws {
        let library = StrategyFixtures.library()
        try library.upsert(name: "other_symbol_state", source: StrategyFixtures.source("attacks/other_symbol_state"))
        let evil = SymbolStrategies(library: library, view: MarketView(symbol: "EVIL/USDT", exchange: "test"))
        let good = SymbolStrategies(library: library, view: MarketView(symbol: "GOOD/USDT", exchange: "test"))
        var out = Collected()
        for candle in StrategyFixtures.candles(3) {
            out.add(evil.onCandle(timeframe: "1m", candle: candle))
            out.add(good.onCandle(timeframe: "1m", candle: candle))
        }
        #expect(out.faults.isEmpty)
        #expect(out.signals("GOOD/USDT").map(\.reason) == [
            "leak=nil counter=1 mine=1", "leak=nil counter=2 mine=2", "leak=nil counter=3 mine=3",
        ])
    }

    @Test func replacedContextFieldsAreRestoredBeforeTheNextCall() throws {
        let library = StrategyFixtures.library()
        try library.upsert(name: "replace_ctx", source: StrategyFixtures.source("attacks/replace_ctx"))
        let evil = SymbolStrategies(library: library, view: MarketView(symbol: "EVIL/USDT", exchange: "test"))
        var out = Collected()
        evil.feed(StrategyFixtures.candles(6), into: &out)
        #expect(out.faults.isEmpty, "\(out.faults)")
        let reasons = out.signals.map(\.reason)
        #expect(reasons.count == 3)
        #expect(reasons.allSatisfy { $0.hasPrefix("n=") && !$0.contains("sma=-1") && !$0.contains("close=nil") })
        #expect(reasons.first?.hasPrefix("n=2 ") == true)
        #expect(out.logs.count == 3)
        #expect(out.logs.first?.line == "candles\t2\t3")
    }

    @Test func metatablesOnSharedValuesStayInTheirState() throws {
        let library = StrategyFixtures.library()
        try library.upsert(name: "metatables", source: StrategyFixtures.source("attacks/metatables"))
        let evil = SymbolStrategies(library: library, view: MarketView(symbol: "EVIL/USDT", exchange: "test"))
        let good = SymbolStrategies(library: library, view: MarketView(symbol: "GOOD/USDT", exchange: "test"))
        var evilOut = Collected()
        var goodOut = Collected()
        for candle in StrategyFixtures.candles(4) {
            evilOut.add(evil.onCandle(timeframe: "1m", candle: candle))
            goodOut.add(good.onCandle(timeframe: "1m", candle: candle))
        }
        // the host's raw writes to ctx ignore the trap metatable: EVIL keeps running its own code
        #expect(evilOut.signals.count == 4)
        #expect(evilOut.signals.allSatisfy { $0.level == .sell })
        #expect(goodOut.faults.isEmpty)
        #expect(goodOut.signals.map(\.reason) == ["OK", "OK", "OK", "OK"])
    }

    private func lineNumber(of marker: String, in path: String) throws -> Int {
        let lines = try StrategyFixtures.source(path).split(separator: "\n", omittingEmptySubsequences: false)
        return try #require(lines.firstIndex { $0.contains("-- \(marker)") }) + 1
    }
}
