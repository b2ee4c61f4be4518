import Foundation

/// Finds and runs the `chloe` executable built beside the tests.
enum Chloe {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sample = root.appendingPathComponent("samples/candles/XRP_ETH-1m.csv").path

    /// The products folder holding the test bundle also holds the executable.
    static var binary: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("chloe")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug/chloe")
    }

    /// Runs `chloe` with `arguments`; `stdin`, when given, is its standard input (otherwise
    /// the child inherits the test runner's).
    static func run(_ arguments: [String], stdin: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        // Standard input comes from a temporary file rather than a pipe: no writer thread, and
        // no SIGPIPE in the test runner when the child exits without reading it all. The file is
        // unlinked at once; the open handle keeps it readable.
        if let stdin {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("chloe-stdin-\(UUID())")
            try Data(stdin.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            process.standardInput = try FileHandle(forReadingFrom: file)
        }
        try process.run()
        // Read stderr on another thread so neither pipe can fill up and block the child.
        let errors = ErrorOutput()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            errors.data = err.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        done.wait()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errors.data, as: UTF8.self))
    }
}

/// Holds stderr bytes handed from the reading thread; the semaphore orders the accesses.
private final class ErrorOutput: @unchecked Sendable {
    var data = Data()
}
