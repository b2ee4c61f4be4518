import Foundation

/// A `chloe run` child process for a benchmark: started with a configuration file, its API port
/// read from its log, its CPU time read from `/proc`, stopped with SIGTERM.
final class DaemonProcess: @unchecked Sendable {
    private let process = Process()
    private let log = Pipe()
    private let found = PortLine()

    /// Starts `chloe run --config configuration` with `executable` (nil: this same executable).
    init(configuration: String, executable: String? = nil) throws {
        process.executableURL = executable.map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["run", "--config", configuration]
        process.standardError = log
        process.standardOutput = FileHandle.nullDevice
        let found = self.found
        // Drain the log on its own thread (a full pipe would stop the daemon), watching for the port.
        log.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil } else { found.scan(data) }
        }
        try process.run()
    }

    /// The port the daemon's API listens on, from its "API listening" log line.
    func port(timeout: Duration = .seconds(30)) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let port = found.port { return port }
            guard process.isRunning else { throw BenchError(message: "the daemon exited (\(process.terminationStatus)): \(found.tail)") }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw BenchError(message: "the daemon did not log its port within \(timeout): \(found.tail)")
    }

    /// User plus system CPU time of every thread of the daemon so far.
    func cpuNanoseconds() -> UInt64 {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        // Fields after the command name: state is field 3, utime 14 and stime 15 (clock ticks).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = UInt64(fields[11]), let system = UInt64(fields[12]) else { return 0 }
        return (user + system) * 1_000_000_000 / UInt64(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// SIGTERM, then waits for the exit (a graceful shutdown flushes the database).
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}

/// The daemon's log as it arrives: the API port once logged, and the last lines for errors.
private final class PortLine: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    private var found: Int?

    var port: Int? { lock.withLock { found } }
    var tail: String { lock.withLock { String(text.suffix(2000)) } }

    func scan(_ data: Data) {
        lock.withLock {
            text += String(decoding: data, as: UTF8.self)
            if found == nil, let line = text.split(separator: "\n").first(where: { $0.contains("API listening") }),
               let key = line.range(of: "http.port=") {
                found = Int(line[key.upperBound...].prefix { $0.isNumber })
            }
            if text.count > 100_000 { text = String(text.suffix(10_000)) }
        }
    }
}
