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

    @Test func runsTheDefaultConfigurationOnPortZeroAndStopsOnSIGTERM() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("chloe-run-\(UUID())")
        defer { try? FileManager.default.removeItem(at: data) }
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
        defer { if process.isRunning { process.terminate() } }

        var port: Int?
        for _ in 0..<300 where port == nil {
            if let match = log.text.firstMatch(of: /http.port=(\d+).*API listening/) { port = Int(match.1) }
            if port == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        guard let port, port > 0 else {
            Issue.record("no port logged: \(log.text.suffix(2000))")
            return
        }
        let (status, health) = try await Self.get("http://127.0.0.1:\(port)/health")
        #expect(status == 200)
        #expect(health.contains("\"ready\":true"))
        var signals = ""
        for _ in 0..<300 {
            signals = try await Self.get("http://127.0.0.1:\(port)/realtime/signals").1
            if signals.contains("\"level\"") { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(signals.contains("\"level\""), "signals within 30 s on the default configuration")
        process.terminate()  // SIGTERM
        process.waitUntilExit()
        errors.fileHandleForReading.readabilityHandler = nil
        #expect(process.terminationStatus == 0)
        #expect(log.text.contains("storage flushed"))
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("chloe.sqlite").path))
    }
}
