import Foundation
import Testing

/// `chloe replay` as a user runs it.
@Suite struct ReplayCommandTests {
    @Test func candlesReplayPrintsSignalsAlertsAndASummaryAsJSONLines() throws {
        let result = try Chloe.run(["replay", "--candles", Chloe.sample, "--strategy", "builtin:threshold:10:0.002"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let objects = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let types = objects.map { $0["type"] as? String }
        #expect(types.last == "summary")
        let signals = objects.filter { $0["type"] as? String == "signal" }
        #expect(signals.count > 20)
        #expect(objects.contains { $0["type"] as? String == "alert" })
        let first = try #require(signals.first)
        #expect(first["symbol"] as? String == "XRP/ETH")
        #expect(first["strategy"] as? String == "threshold")
        #expect(first["trigger"] as? String == "1m")
        #expect(["buy", "sell", "neutral"].contains(first["level"] as? String ?? ""))
        #expect((first["indicators"] as? [String: Any])?["average"] != nil)
        #expect(first["latency_microseconds"] != nil)
        let summary = try #require(objects.last)
        #expect(summary["signals"] as? Int == signals.count)
        #expect(summary["events"] as? Int == 2469 * 8)
    }

    @Test func tradesReplayWithATableShowsTheSummary() throws {
        let trades = Chloe.root.appendingPathComponent("samples/trades/XRP_ETH-trades.csv").path
        let result = try Chloe.run(["replay", "--trades", trades, "--strategy", "builtin:threshold:20:0.001:tick", "--format", "table"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("time") == true)
        #expect(lines.contains { $0.contains("XRP/ETH") && $0.contains(" signal ") && $0.contains("tick") })
        #expect(lines.last?.hasPrefix("summary: XRP/ETH: 24954 events") == true)
    }

    @Test func aLuaStrategyFileReplaysThroughTheStrategyRuntime() throws {
        let strategy = Chloe.root.appendingPathComponent("strategies/rsi_reversion.lua").path
        let result = try Chloe.run(["replay", "--candles", Chloe.sample, "--strategy", strategy])
        #expect(result.status == 0, "\(result.stderr)")
        let objects = try result.stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let signals = objects.filter { $0["type"] as? String == "signal" }
        #expect(signals.count > 10)
        #expect(signals.allSatisfy { $0["strategy"] as? String == "rsi_reversion" && ($0["strategy_hash"] as? String)?.count == 64 })
        #expect(signals.allSatisfy { ["strong_buy", "buy", "neutral", "sell", "strong_sell"].contains($0["level"] as? String ?? "") })
        #expect(signals.allSatisfy { ($0["indicators"] as? [String: Any])?["rsi"] is Double })
        // The risk rule's proposal rides on buy/sell signals.
        #expect(signals.contains { ($0["risk"] as? [String: Any])?["stop_loss"] is Double })
        let summary = try #require(objects.last)
        #expect(summary["type"] as? String == "summary")
        #expect(summary["signals"] as? Int == signals.count)
        #expect(summary["strategy_errors"] as? Int == 0)
    }

    @Test func aBrokenLuaStrategyIsNamedWithItsLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chloe-replay-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let syntax = folder.appendingPathComponent("broken.lua")
        try "return {\n  on_candle = function(ctx)\n    if then end\n  end,\n}\n".write(to: syntax, atomically: true, encoding: .utf8)
        let refused = try Chloe.run(["replay", "--candles", Chloe.sample, "--strategy", syntax.path])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("broken.lua:3: syntax error"), "\(refused.stderr)")
        // A runtime error is reported per call with file and line, and parks the strategy
        // after repeated faults; the replay itself completes.
        let faulty = folder.appendingPathComponent("faulty.lua")
        try "return {\n  on_candle = function(ctx)\n    return ctx.nope.x\n  end,\n}\n".write(to: faulty, atomically: true, encoding: .utf8)
        let result = try Chloe.run(["replay", "--candles", Chloe.sample, "--strategy", faulty.path])
        #expect(result.status == 0, "\(result.stderr)")
        let objects = try result.stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let first = try #require(objects.first { $0["type"] as? String == "strategy_error" })
        #expect(first["file"] as? String == "faulty.lua" && first["line"] as? Int == 3)
        #expect((first["message"] as? String)?.contains("attempt to index a nil value") == true)
        #expect(objects.contains { $0["type"] as? String == "strategy_error" && $0["parked"] as? Bool == true })
        #expect(objects.last?["type"] as? String == "summary")
    }

    @Test func badInputIsReportedClearly() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("BAD_PAIR-\(UUID()).csv")
        try "time,id,side,price,amount\n1,a,buy,1,1\n2,b,buy,oops,1\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let broken = try Chloe.run(["replay", "--trades", file.path, "--strategy", "builtin:threshold"])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains(":3:4: price 'oops' is not a positive decimal price"))
        let both = try Chloe.run(["replay", "--trades", file.path, "--candles", Chloe.sample, "--strategy", "builtin:threshold"])
        #expect(both.status != 0)
        #expect(both.stderr.contains("exactly one of --candles FILE and --trades FILE"))
        let mixed = try Chloe.run(["replay", "--signal", "3", "--candles", Chloe.sample])
        #expect(mixed.status != 0)
        #expect(mixed.stderr.contains("--signal replays a stored signal with its own strategy and candles"))
        let noStrategy = try Chloe.run(["replay", "--candles", Chloe.sample])
        #expect(noStrategy.status != 0)
        #expect(noStrategy.stderr.contains("--strategy FILE is required"))
        let unknown = try Chloe.run(["replay", "--candles", Chloe.sample, "--strategy", "builtin:nosuch"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("unknown built-in 'nosuch'"))
    }
}
