import Foundation
import Testing

/// `chloe check` as a strategy author runs it.
@Suite struct CheckCommandTests {
    @Test(arguments: ["rsi_reversion", "macd_trend", "bollinger_breakout", "model_zscore"])
    func exampleStrategiesProduceSignalsOnTheSample(_ name: String) throws {
        let file = Chloe.root.appendingPathComponent("strategies/\(name).lua").path
        let result = try Chloe.run(["check", file, "--candles", Chloe.sample])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\(name).lua: ok"))
        let signals = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("signals: ") })
        let count = Int(signals.dropFirst("signals: ".count).prefix { $0.isNumber }) ?? 0
        #expect(count > 0, "\(result.stdout)")
    }

    @Test func brokenStrategyExitsOneWithFileAndLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString.prefix(8)).lua")
        try "return {\n  on_candle = function(ctx)\n    return 'buy' +\n  end,\n}\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try Chloe.run(["check", file.path, "--candles", Chloe.sample])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(file.lastPathComponent):4: syntax error"), "\(result.stderr)")
    }

    @Test func runtimeFaultsExitOneWithTheirLine() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("faulty-\(UUID().uuidString.prefix(8)).lua")
        try "return {\n  on_candle = function(ctx)\n    if ctx.candle.close > 0 then error('bad bar') end\n  end,\n}\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try Chloe.run(["check", file.path, "--candles", Chloe.sample])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(file.lastPathComponent):3: runtime error: bad bar"), "\(result.stderr)")
        #expect(result.stderr.contains("parked"))
    }

    @Test func unknownFieldsAndIndicatorsAreNamed() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fields-\(UUID().uuidString.prefix(8)).lua")
        try "return {\n  indicators = { r = ind.rsx(14) },\n  on_candle = function() end,\n}\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try Chloe.run(["check", file.path, "--candles", Chloe.sample])
        #expect(result.status == 1)
        #expect(result.stderr.contains(":2: runtime error: unknown indicator 'ind.rsx'; known: sma, ema"), "\(result.stderr)")
    }
}
