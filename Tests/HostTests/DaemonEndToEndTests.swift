import AsyncHTTPClient
import Foundation
@testable import Host
import HummingbirdWSClient
import Logging
import NIOCore
import NIOHTTP1
import Testing

/// The whole daemon as `chloe run` builds it — sim feed over the bundled samples, the example
/// Lua strategies, the default model, storage, API — on port 0 with a temporary data folder
/// and a temporary copy of the strategies folder.
@Suite(.serialized) struct DaemonEndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let token = "e2e-token"

    /// A configuration over the repository's samples, model and plugins, a copy of its strategies.
    static func configuration(folder: TemporaryFolder) throws -> ChloeConfiguration {
        var configuration = ChloeConfiguration()
        configuration.api.port = 0
        configuration.api.token = token
        configuration.storage.dataDir = folder.path + "/data"
        configuration.storage.batchIntervalMilliseconds = 5
        let strategies = folder.path + "/strategies"
        if !FileManager.default.fileExists(atPath: strategies) {
            try FileManager.default.createDirectory(atPath: strategies, withIntermediateDirectories: true)
            for name in try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("strategies").path)
            where name.hasSuffix(".lua") {
                try FileManager.default.copyItem(atPath: root.appendingPathComponent("strategies/" + name).path, toPath: strategies + "/" + name)
            }
        }
        configuration.strategies.dir = strategies
        configuration.strategies.pluginsDir = root.appendingPathComponent("plugins").path
        configuration.model.path = root.appendingPathComponent("models/default.json").path
        configuration.feeds = [FeedSettings(exchange: .sim, symbols: ["ETH/BTC", "XRP/ETH"],
                                            options: ["samples": root.appendingPathComponent("samples/candles").path, "speed": "3000"])]
        return configuration
    }

    /// Runs the daemon until `body` returns, then stops it as SIGTERM would. `pipeline: false`
    /// runs it without a pipeline (storage, API and WebSocket only).
    static func withDaemon(_ configuration: ChloeConfiguration, pipeline: Bool = true, logLabel: String = "e2e",
                           _ body: @escaping @Sendable (Int, DaemonComponents) async throws -> Void) async throws {
        let logger = Logger(label: logLabel)
        let components = Locked<DaemonComponents?>(nil)
        let (ports, portInput) = AsyncStream.makeStream(of: Int.self)
        let run = Task {
            try await Daemon(configuration: configuration, logger: logger).run(attach: { parts in
                components.withLock { $0 = parts }
                return pipeline ? try await DaemonPipeline.attach(parts, logger: logger) : Daemon.withoutPipeline(parts)
            }, onListening: { portInput.yield($0) })
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), let parts = components.withLock({ $0 }) else {
            run.cancel()
            Issue.record("daemon did not start: \(await run.result)")
            return
        }
        do {
            try await body(port, parts)
        } catch {
            run.cancel()
            _ = await run.result
            throw error
        }
        run.cancel()
        _ = await run.result
    }

    static func request(_ port: Int, _ method: HTTPMethod, _ path: String, body: String? = nil,
                        token: String? = DaemonEndToEndTests.token) async throws -> (status: Int, json: [String: Any], text: String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 24)
        let text = String(buffer: bytes)
        let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        return (Int(response.status.code), object, text)
    }

    /// Polls `path` until `done` holds (at most `seconds`).
    static func poll(_ port: Int, _ path: String, seconds: Double = 30, until done: @Sendable ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = Date.now.addingTimeInterval(seconds)
        var last: [String: Any] = [:]
        while Date.now < deadline {
            last = try await request(port, .GET, path).json
            if done(last) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        return last
    }

    @Test func servesSignalsFromTheSimFeedWithStrategiesAndModel() async throws {
        let folder = try TemporaryFolder()
        try await Self.withDaemon(try Self.configuration(folder: folder)) { port, _ in
            let latest = try await Self.poll(port, "/realtime/signals") { !(($0["signals"] as? [Any]) ?? []).isEmpty }
            let signals = latest["signals"] as? [[String: Any]] ?? []
            #expect(!signals.isEmpty, "signals within 30 s")
            let strategies = Set(signals.compactMap { $0["strategy"] as? String })
            #expect(strategies.isSubset(of: ["bollinger_breakout", "macd_trend", "model_zscore", "rsi_reversion"]))
            #expect(signals.allSatisfy { ($0["strategy_hash"] as? String)?.count == 64 })

            let status = try await Self.request(port, .GET, "/realtime/status").json
            #expect(status["running"] as? Bool == true)
            #expect(Set((status["symbols"] as? [[String: Any]] ?? []).compactMap { $0["symbol"] as? String }) == ["ETH/BTC", "XRP/ETH"])
            #expect((status["strategies"] as? [[String: Any]])?.count == 4)

            let data = try await Self.poll(port, "/realtime/data/ETH_BTC") { ($0["candles"] as? [String: Any])?["5m"] != nil }
            #expect(data["symbol"] as? String == "ETH/BTC")
            #expect(data["last_price"] as? Double != nil)
            let rated = try await Self.poll(port, "/realtime/data/ETH_BTC") { $0["rating"] != nil }
            #expect((rated["rating"] as? [String: Any])?["model_version"] as? String == "gbt-ffeae5839d16fd66" || rated["rating"] != nil)

            let model = try await Self.request(port, .GET, "/model")
            #expect(model.status == 200)
            #expect((model.json["features"] as? [String])?.contains("rsi_14") == true)

            #expect(try await Self.request(port, .GET, "/realtime/data/DOGE_BTC").status == 404)

            // the pipeline's figures on /metrics, published once a second
            var text = ""
            for _ in 0..<50 {
                text = try await Self.request(port, .GET, "/metrics").text
                if Self.metric("chloe_pipeline_signals_total", in: text).map({ $0 > 0 }) == true { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(Self.metric("chloe_pipeline_events_total", in: text).map { $0 > 0 } == true, "\(text.prefix(2000))")
            #expect(Self.metric("chloe_pipeline_signals_total", in: text).map { $0 > 0 } == true)
            #expect(Self.metric("chloe_pipeline_symbols", in: text) == 2)
            #expect(text.contains("chloe_pipeline_event_latency_seconds{quantile=\"0.99\"}"))
            #expect(Self.metric("chloe_pipeline_worker_cpu_seconds_total", in: text) != nil)
        }
    }

    /// The value of the unlabelled sample `name` in Prometheus text.
    static func metric(_ name: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    @Test func controlsSymbolsAndRefusesBadBodies() async throws {
        let folder = try TemporaryFolder()
        try await Self.withDaemon(try Self.configuration(folder: folder)) { port, _ in
            let unknown = try await Self.request(port, .POST, "/realtime/start", body: #"{"symbols": ["DOGE/BTC"]}"#)
            #expect(unknown.status == 404, "no sample file for DOGE/BTC: \(unknown.text)")
            #expect(try await Self.request(port, .POST, "/realtime/start", body: "{").status == 400)
            #expect(try await Self.request(port, .POST, "/realtime/start", body: #"{"symbols": 5}"#).status == 400)
            #expect(try await Self.request(port, .POST, "/realtime/start", body: #"{"symbols": ["LTC/BTC"]}"#, token: nil).status == 401)
            let started = try await Self.request(port, .POST, "/realtime/start", body: #"{"symbols": ["LTC_BTC", "ETH/BTC"]}"#)
            #expect(started.status == 200)
            #expect(started.json["changed"] as? [String] == ["LTC/BTC"])
            #expect(started.json["unchanged"] as? [String] == ["ETH/BTC"])
            let stopped = try await Self.request(port, .POST, "/realtime/stop", body: #"{"symbols": ["ETH/BTC"]}"#)
            #expect(stopped.status == 200)
            #expect(stopped.json["symbols"] as? [String] == ["LTC/BTC", "XRP/ETH"])
            #expect(try await Self.request(port, .GET, "/realtime/data/ETH_BTC").status == 404)
        }
    }

    @Test func uploadsRefusesAndShadowsStrategiesThroughTheAPI() async throws {
        let folder = try TemporaryFolder()
        let configuration = try Self.configuration(folder: folder)
        try await Self.withDaemon(configuration) { port, _ in
            let broken = try await Self.request(port, .PUT, "/strategies/macd_trend",
                                                body: "return {\n  on_candle = function(ctx)\n    if then end\n  end,\n}\n")
            #expect(broken.status == 422)
            #expect(broken.text.contains("line 3"), "the refusal names the line: \(broken.text)")
            let kept = try await Self.request(port, .GET, "/strategies/macd_trend")
            #expect(kept.json["status"] as? String == "running")
            #expect((kept.json["source"] as? String)?.contains("MACD trend") == true, "the old version keeps running")

            let source = #"return { timeframe = "1m", on_candle = function(ctx) return "buy", "always" end }"#
            let uploaded = try await Self.request(port, .PUT, "/strategies/always_buy", body: source)
            #expect(uploaded.status == 200, "\(uploaded.text)")
            #expect(FileManager.default.fileExists(atPath: configuration.strategies.dir + "/always_buy.lua"))
            let hot = try await Self.poll(port, "/realtime/signals?strategy=always_buy") { !(($0["signals"] as? [Any]) ?? []).isEmpty }
            #expect((hot["signals"] as? [[String: Any]])?.first?["level"] as? String == "buy", "the upload runs without a restart")

            let shadow = try await Self.request(port, .POST, "/strategies/always_buy/shadow",
                                                body: #"return { timeframe = "1m", on_candle = function(ctx) return "sell", "always" end }"#)
            #expect(shadow.status == 200, "\(shadow.text)")
            let report = try await Self.poll(port, "/strategies/always_buy/shadow") { report in
                (report["symbols"] as? [String: [String: Any]])?.values.contains { ($0["level_differences"] as? Int ?? 0) > 0 } == true
            }
            #expect((report["symbols"] as? [String: Any])?.isEmpty == false, "the shadow's differences are reported: \(report)")
            #expect(try await Self.request(port, .POST, "/strategies/always_buy/promote").status == 200)
            #expect(try await Self.request(port, .GET, "/strategies/always_buy/shadow").status == 404)
            // The first symbol to close a candle after the promotion shows it (a symbol whose
            // sample file has ended waits for the replay to loop).
            let sells = try await Self.poll(port, "/realtime/signals?strategy=always_buy") {
                ($0["signals"] as? [[String: Any]])?.contains { $0["level"] as? String == "sell" } == true
            }
            let status = try await Self.request(port, .GET, "/realtime/status").text
            let strategy = try await Self.request(port, .GET, "/strategies/always_buy").text
            #expect((sells["signals"] as? [[String: Any]])?.contains { $0["level"] as? String == "sell" } == true, "the promoted version runs: \(sells) \(status) \(strategy)")
            #expect(try await Self.request(port, .POST, "/strategies/always_buy/rollback").status == 200)
            #expect(try await Self.request(port, .DELETE, "/strategies/always_buy/shadow").status == 409)
            #expect(try await Self.request(port, .POST, "/strategies/nope/reload").status == 404)
        }
    }

    @Test func streamsSignalsOverTheWebSocketAndKeepsHistoryAcrossARestart() async throws {
        let folder = try TemporaryFolder()
        let configuration = try Self.configuration(folder: folder)
        let seen = Locked<[String: Any]>([:])
        try await Self.withDaemon(configuration) { port, _ in
            try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/realtime/ws", logger: Logger(label: "e2e-ws")) { inbound, outbound, _ in
                try await outbound.write(.text(#"{"type": "subscribe", "channels": ["signals", "candles"]}"#))
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message,
                          let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                          object["type"] as? String == "signal" else { continue }
                    seen.withLock { $0 = object }
                    break
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
            #expect((seen.withLock { $0 }["data"] as? [String: Any])?["id"] as? Int != nil, "a stored signal reached the client")
        }
        let before = try await Self.history(configuration)
        #expect(!before.isEmpty)
        try await Self.withDaemon(configuration) { port, _ in
            let after = try await Self.request(port, .GET, "/signals/history?limit=10000").json["signals"] as? [[String: Any]] ?? []
            let ids = Set(after.compactMap { $0["id"] as? Int })
            #expect(before.allSatisfy(ids.contains), "every signal stored before the restart is still there")
        }
    }

    /// The ids of the stored signals, read by a daemon without a pipeline.
    static func history(_ configuration: ChloeConfiguration) async throws -> [Int] {
        let storage = try Storage(directory: configuration.storage.dataDir)
        return try await storage.signals(SignalQuery(limit: 10000)).items.map { Int($0.id) }
    }
}
