import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// `chloe run` as users start it: the built binary on its default configuration (run from the
/// repository root, so it reads chloe.yaml), port 0 and a temporary data folder.
@Suite struct RunCommandTests {
    /// Collects the child's standard error as it comes.
    final class Log: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()

        func append(_ chunk: Data) { lock.withLock { data.append(chunk) } }
        var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
    }

    static func get(_ url: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// A daemon started as users start it: the built binary on the default configuration,
    /// port 0, `data` as its data folder.
    struct Daemon {
        let process: Process
        let errors: Pipe
        let log: Log
        let port: Int

        static func start(data: URL) async throws -> Daemon? {
            let process = Process()
            process.executableURL = Chloe.binary
            process.arguments = ["run", "--port", "0", "--data-dir", data.path]
            process.currentDirectoryURL = Chloe.root
            var environment = ProcessInfo.processInfo.environment
            environment["CHLOE_API_TOKEN"] = "run-test"
            process.environment = environment
            let errors = Pipe()
            let log = Log()
            errors.fileHandleForReading.readabilityHandler = { handle in log.append(handle.availableData) }
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            var port: Int?
            for _ in 0..<300 where port == nil {
                if let match = log.text.firstMatch(of: /http.port=(\d+).*API listening/) { port = Int(match.1) }
                if port == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            guard let port, port > 0 else {
                process.terminate()
                Issue.record("no port logged: \(log.text.suffix(2000))")
                return nil
            }
            return Daemon(process: process, errors: errors, log: log, port: port)
        }

        var url: String { "http://127.0.0.1:\(port)" }

        /// Waits for the process to end after a signal; returns its status.
        func waitForExit() -> Int32 {
            process.waitUntilExit()
            errors.fileHandleForReading.readabilityHandler = nil
            return process.terminationStatus
        }
    }

    /// Stored signals as `id symbol time level strategy trigger` texts, newest first.
    static func history(_ daemon: Daemon) async throws -> [String] {
        let (status, body) = try await get(daemon.url + "/signals/history?limit=10000")
        #expect(status == 200)
        let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        return (object?["signals"] as? [[String: Any]] ?? []).map { signal in
            ["id", "symbol", "time", "level", "strategy", "trigger"].map { "\(signal[$0] ?? "nil")" }.joined(separator: " ")
        }
    }

    @Test func runsTheDefaultConfigurationOnPortZeroAndStopsOnSIGTERM() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("chloe-run-\(UUID())")
        defer { try? FileManager.default.removeItem(at: data) }
        guard let daemon = try await Daemon.start(data: data) else { return }
        defer { if daemon.process.isRunning { daemon.process.terminate() } }
        let (status, health) = try await Self.get(daemon.url + "/health")
        #expect(status == 200)
        #expect(health.contains("\"ready\":true"))
        // `event_loops: auto`: half the cores, at least one, named in the starting line
        let loops = daemon.log.text.firstMatch(of: /event_loops=(\d+).*starting/).flatMap { Int($0.1) }
        #expect(loops.map { (1...max(1, ProcessInfo.processInfo.activeProcessorCount)).contains($0) } == true, "\(daemon.log.text.prefix(500))")
        var signals = ""
        for _ in 0..<300 {
            signals = try await Self.get(daemon.url + "/realtime/signals").1
            if signals.contains("\"level\"") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(signals.contains("\"level\""), "signals within 30 s on the default configuration")
        daemon.process.terminate()  // SIGTERM
        #expect(daemon.waitForExit() == 0)
        #expect(daemon.log.text.contains("storage flushed"))
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("chloe.sqlite").path))
    }

    @Test func aStoredSignalReplaysFromItsRecord() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("chloe-explain-\(UUID())")
        defer { try? FileManager.default.removeItem(at: data) }
        guard let daemon = try await Daemon.start(data: data) else { return }
        defer { if daemon.process.isRunning { daemon.process.terminate() } }
        var stored: [String] = []
        for _ in 0..<300 where !stored.contains(where: Self.replayable) {
            try await Task.sleep(for: .milliseconds(100))
            stored = try await Self.history(daemon)
        }
        daemon.process.terminate()
        #expect(daemon.waitForExit() == 0)
        // The stored source and candles give back the same level, reason and indicator values.
        // (model_zscore reads the model, which the replay does not load.)
        let fields = try #require(stored.last(where: Self.replayable), "a stored 1m signal: \(stored)").split(separator: " ")
        let replay = try Chloe.run(["replay", "--signal", String(fields[0]), "--data-dir", data.path,
                                    "--plugins-dir", Chloe.root.appendingPathComponent("plugins").path])
        #expect(replay.status == 0, "\(replay.stdout) \(replay.stderr)")
        let outcome = try JSONSerialization.jsonObject(with: Data(replay.stdout.utf8)) as? [String: Any]
        #expect(outcome?["type"] as? String == "signal_replay")
        #expect(outcome?["reproduced"] as? Bool == true)
        #expect((outcome?["replayed"] as? [String: Any])?["level"] as? String == String(fields[3]))
        let missing = try Chloe.run(["replay", "--signal", "999999999", "--data-dir", data.path])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no signal with id 999999999"))
    }

    /// A signal of a 1m candle from a strategy that does not read the model.
    static func replayable(_ signal: String) -> Bool { signal.hasSuffix(" 1m") && !signal.contains("model_zscore") }

    @Test func storedSignalsSurviveSIGKILLAndTheDaemonStartsAgainOnTheSameData() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("chloe-kill-\(UUID())")
        defer { try? FileManager.default.removeItem(at: data) }
        guard let first = try await Daemon.start(data: data) else { return }
        defer { if first.process.isRunning { kill(first.process.processIdentifier, SIGKILL) } }
        var before: [String] = []
        for _ in 0..<300 where before.count < 5 {
            try await Task.sleep(for: .milliseconds(100))
            before = try await Self.history(first)
        }
        #expect(before.count >= 5, "stored signals within 30 s")
        kill(first.process.processIdentifier, SIGKILL)
        #expect(first.waitForExit() == SIGKILL)
        guard let second = try await Daemon.start(data: data) else { return }
        defer { if second.process.isRunning { second.process.terminate() } }
        let (status, _) = try await Self.get(second.url + "/health")
        #expect(status == 200)
        let after = Set(try await Self.history(second))
        let lost = before.filter { !after.contains($0) }
        #expect(lost.isEmpty, "\(lost.count) of \(before.count) stored signals lost across SIGKILL: \(lost.prefix(3))")
        second.process.terminate()
        #expect(second.waitForExit() == 0)

    }
}
