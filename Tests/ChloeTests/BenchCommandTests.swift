import Foundation
import Testing

/// `chloe bench pipeline` and `chloe bench strategies` end to end, kept short: the
/// socket-to-socket run starts a real daemon, feeds it trade frames from the benchmark's own
/// Binance-protocol server and reads every answer back on `/realtime/ws`, all on loopback.
@Suite struct BenchCommandTests {
    @Test func theSocketRunAnswersEveryTradeAndEverySignal() throws {
        let trace = FileManager.default.temporaryDirectory.appendingPathComponent("chloe-trace-\(UUID()).csv")
        defer { try? FileManager.default.removeItem(at: trace) }
        let result = try Chloe.run([
            "bench", "pipeline", "--symbols", "1", "--events", "200", "--rate", "10000", "--latency-seconds", "0.1",
            "--memory-symbols", "2", "--socket-rate", "2000", "--socket-seconds", "0.5", "--socket-trace", trace.path, "--json",
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

        // The trace: one row per trade in order, written at the pace asked for (2,000/s), each
        // with the latency of its answer; the rows' p50 is the report's.
        let rows = try String(contentsOf: trace, encoding: .utf8).split(separator: "\n")
        #expect(rows.first == "trade,sent_ns,latency_ns")
        let cells = rows.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(cells.count == 1000 && cells.allSatisfy { $0.count == 3 })
        #expect(cells.enumerated().allSatisfy { Int($1[0]) == $0 })
        let sent = cells.compactMap { UInt64($0[1]) }, latencies = cells.compactMap { Int($0[2]) }.sorted()
        #expect(sent.count == 1000 && zip(sent, sent.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(Double(sent.last! - sent.first!) / 1e9 > 0.4)
        #expect(latencies.count == 1000 && latencies[500] == p50)
    }

    /// `chloe bench indicators --series walk` times the random walk that `scripts/talib_bench.py
    /// --series walk` builds too: the fingerprint it prints is that of the series the script's
    /// documentation defines, computed here from that definition. `--series repeat` (the
    /// default) prints its own; an unknown series is refused.
    @Test func indicatorsBenchTimesTheDocumentedRandomWalk() throws {
        let walk = try Chloe.run(["bench", "indicators", "--series", "walk", "--count", "2000", "--rounds", "1"])
        #expect(walk.status == 0, "\(walk.stderr.suffix(2000))")
        var state: UInt64 = 0x853C_49E6_748F_EA9B
        func draw() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        var close = 1000.0, sum = 0.0
        for _ in 0..<2000 {
            let move = draw() % 20
            close = close + (move < 9 ? -1.0 : (move < 11 ? 0.0 : 1.0)) * 0.01
            _ = draw()  // the wicks
            _ = draw()  // the volume
            sum += close
        }
        func digits(_ x: Double) -> String { String(format: "%.17g", x) }
        let lines = walk.stdout.split(separator: "\n")
        #expect(lines.first.map(String.init) == "series walk: 2000 candles, last close \(digits(close)), sum of closes \(digits(sum)); best of 1")
        #expect(lines.count == 2 + 29 && lines.dropFirst(2).allSatisfy { $0.split(separator: " ").count == 4 })

        let repeated = try Chloe.run(["bench", "indicators", "--count", "2000", "--rounds", "1"])
        #expect(repeated.status == 0 && repeated.stdout.hasPrefix("series repeat: 2000 candles, last close "))
        let unknown = try Chloe.run(["bench", "indicators", "--series", "shuffled"])
        #expect(unknown.status != 0 && unknown.stderr.contains("walk"))
    }

    /// `--latency-trace` lists every signal of the in-process latency run, as the report counts them.
    @Test func theInProcessRunTracesEverySignal() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chloe-latency-trace-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let strategy = folder.appendingPathComponent("every_close.lua"), trace = folder.appendingPathComponent("signals.csv")
        try #"return { timeframe = "1m", on_candle = function(ctx) return "buy", "every close" end }"#
            .write(to: strategy, atomically: true, encoding: .utf8)
        let result = try Chloe.run([
            "bench", "pipeline", "--symbols", "3", "--events", "3000", "--rate", "30000", "--latency-seconds", "0.1",
            "--memory-symbols", "2", "--socket-rate", "0", "--strategy", strategy.path, "--latency-trace", trace.path, "--json",
        ])
        #expect(result.status == 0, "\(result.stderr.suffix(2000))")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let latency = try #require(report["latency"] as? [String: Any])
        let signals = try #require(latency["signals"] as? Int)
        let rows = try String(contentsOf: trace, encoding: .utf8).split(separator: "\n")
        #expect(rows.first == "time_ms,symbol,trigger,latency_us")
        let cells = rows.dropFirst().map { $0.split(separator: ",") }
        // 3,000 events over three symbols are 1,000 simulated seconds each (trades and tickers
        // in turn): a close every minute, a signal at each.
        #expect(signals >= 30 && cells.count == signals)
        var last: [Substring: Int64] = [:]
        for row in cells {
            #expect(row.count == 4 && ["S0/USDT", "S1/USDT", "S2/USDT"].contains(row[1]) && row[2] == "1m", "\(row)")
            #expect(Int(row[3]).map { $0 >= 0 } == true, "\(row)")
            // The closing events of one symbol, a minute or so apart.
            let time = try #require(Int64(row[0]))
            if let previous = last[row[1]] { #expect((59_000...61_000).contains(time - previous), "\(row)") }
            last[row[1]] = time
        }
        // The rows' median is the report's p50: the same signal, the ⌈n/2⌉-th fastest (kept to
        // three digits there, to the µs here).
        let median = cells.compactMap { Int($0[3]) }.sorted()[(cells.count + 1) / 2 - 1]
        let p50 = try #require(latency["p50_ns"] as? Int)
        #expect(abs(median * 1000 - p50) <= 1000 + p50 / 100, "median \(median) µs, p50 \(p50) ns")
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
