import Foundation
import Testing

/// `chloe bench pipeline` and `chloe bench strategies` end to end, kept short: the
/// socket-to-socket run starts a real daemon, feeds it trade frames from the benchmark's own
/// Binance-protocol server and reads every answer back on `/realtime/ws`, all on loopback.
@Suite struct BenchCommandTests {
    @Test func theSocketRunAnswersEveryTradeAndEverySignal() throws {
        let result = try Chloe.run([
            "bench", "pipeline", "--symbols", "1", "--events", "200", "--rate", "10000", "--latency-seconds", "0.1",
            "--memory-symbols", "2", "--socket-rate", "2000", "--socket-seconds", "0.5", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr.suffix(2000))")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let socket = try #require(report["socket"] as? [String: Any])
        let trades = try #require(socket["trades"] as? [String: Any])
        let signals = try #require(socket["signals"] as? [String: Any])
        // 1,000 trades, the price crossing 100 every 50: every trade's tick and every signal arrive.
        #expect(socket["sent"] as? Int == 1000)
        #expect(trades["count"] as? Int == 1000)
        #expect(signals["count"] as? Int == 20)
        let p50 = try #require(trades["p50_ns"] as? Int), p99 = try #require(trades["p99_ns"] as? Int)
        #expect(p50 > 0 && p50 <= p99)
        #expect(try #require(socket["daemon_cpu_ns_per_trade"] as? Int) > 0)
    }

    /// Every example strategy gets a figure alone and with the symbols in turn.
    @Test func strategiesAreTimedAloneAndInTurn() throws {
        let result = try Chloe.run(["bench", "strategies", "--count", "200", "--rounds", "1", "--symbols", "3"])
        #expect(result.status == 0, "\(result.stderr.suffix(2000))")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.contains { $0.contains("on_candle ns") && $0.contains("in turn (3)") })
        for name in ["bollinger_breakout", "macd_trend", "model_zscore", "rsi_reversion"] {
            let row = try #require(lines.first { $0.hasPrefix(name + " ") }, "no row for \(name)")
            let figures = row.split(separator: " ").dropFirst().prefix(2).compactMap { Double($0) }
            #expect(figures.count == 2 && figures.allSatisfy { $0 > 0 }, "\(row)")
        }
    }
}
