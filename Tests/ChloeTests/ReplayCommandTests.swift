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
        let unknown = try Chloe.run(["replay", "--candles", Chloe.sample, "--strategy", "builtin:nosuch"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("unknown built-in 'nosuch'"))
    }
}
