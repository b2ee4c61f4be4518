import ArgumentParser
import Exchanges
import Foundation

/// `chloe decode`: raw exchange frames in, normalized JSON lines out.
struct DecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode raw exchange frames into normalized JSON, one object per line.",
        discussion: """
        Reads frames exactly as the exchange's public WebSocket sends them, one JSON document \
        per line, from <file> (standard input when it is omitted or is -), and prints one \
        normalized JSON object per event. A frame may carry several events (a Kraken trade \
        message with two trades prints two lines). Blank lines are skipped but still counted.

        Every object has `type` (ticker, trade, book_snapshot, book_delta, heartbeat, \
        subscribed, error or other) and `exchange`; `symbol` (canonical, e.g. BTC/USDT) and \
        `time` (the exchange's event time, epoch ms) when the frame has them; then the type's \
        fields: ticker last, bid, ask, bid_size, ask_size (those sent); trade price, size, \
        side (the taker's: buy or sell), id; book sequence (when sent), bids and asks as \
        [[price, size], ...]; subscribed channels; error code and message; other kind. Prices \
        and sizes are JSON numbers carrying the exchange's exact decimal digits.

        A line that cannot be decoded is reported on standard error as <file>:<line>: \
        reason (<stdin>:<line> for standard input) and decoding goes on with the next line. Exit \
        status: 0 when every line decoded, 1 when any line failed, 2 when the input cannot \
        be read.

        Example: chloe decode --exchange binance frames.jsonl
        """
    )

    @Option(help: ArgumentHelp("The exchange that sent the frames.", valueName: "name"))
    var exchange: Exchange

    @Argument(help: ArgumentHelp(
        "Raw frames, one JSON document per line. Default: standard input.",
        valueName: "file"))
    var file: String?

    func run() throws {
        let name: String
        let descriptor: Int32
        if let file, file != "-" {
            descriptor = open(file, O_RDONLY)
            guard descriptor >= 0 else {
                Self.report("cannot open \(file): \(String(cString: strerror(errno)))")
                throw ExitCode(2)
            }
            name = file
        } else {
            descriptor = STDIN_FILENO
            name = "<stdin>"
        }
        defer { if descriptor != STDIN_FILENO { close(descriptor) } }

        guard var decoder = FrameDecoder(exchange: exchange) else {
            Self.report("\(exchange) has no wire format to decode")
            throw ExitCode(2)
        }
        var reader = LineReader(descriptor: descriptor)
        var output = OutputBuffer()
        var lineNumber = 0
        var frames = 0
        var failures = 0
        do {
            // Flush before every blocking read, so a live feed piped in shows up as it arrives.
            while let line = try reader.next(beforeReading: { output.flush() }) {
                lineNumber += 1
                if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
                frames += 1
                do {
                    for json in try decoder.normalizedLines(for: line) { output.append(json) }
                } catch {
                    failures += 1
                    output.flush()
                    Self.report("\(name):\(lineNumber): \(error)")
                }
            }
        } catch {
            output.flush()
            Self.report(lineNumber == 0 ? "cannot read \(name): \(error)" : "\(name): read failed after line \(lineNumber): \(error)")
            throw ExitCode(2)
        }
        output.flush()
        if failures > 0 {
            Self.report("\(failures) of \(frames) frame\(frames == 1 ? "" : "s") could not be decoded")
            throw ExitCode.failure
        }
    }

    private static func report(_ message: String) {
        FileHandle.standardError.write(Data("chloe decode: \(message)\n".utf8))
    }
}

extension Exchange: ExpressibleByArgument {
    /// Only the real venues: `chloe decode` reads wire frames, which the simulated exchange has none of.
    public init?(argument: String) {
        guard let exchange = Exchange(rawValue: argument), exchange.isVenue else { return nil }
        self = exchange
    }

    public static var allValueStrings: [String] { venues.map(\.rawValue) }
}

/// Reads a file descriptor a block at a time and hands out its lines without the line break
/// (`\n` or `\r\n`), so a long capture is never held in memory at once — only its longest line.
private struct LineReader {
    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var block = [UInt8](repeating: 0, count: 1 << 16)
    private var atEnd = false

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// The next line, or nil at the end of the input. `beforeReading` runs before each read
    /// that may block.
    mutating func next(beforeReading: () -> Void) throws(ReadError) -> [UInt8]? {
        var searched = start
        while true {
            if let newline = buffer[searched...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = newline
                if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = Array(buffer[start..<end])
                start = newline + 1
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                var end = buffer.count
                if buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = Array(buffer[start..<end])
                start = buffer.count
                return line
            }
            if start > 0 {
                buffer.removeSubrange(0..<start)
                start = 0
            }
            searched = buffer.count
            beforeReading()
            let count = try fill()
            if count == 0 { atEnd = true }
        }
    }

    private mutating func fill() throws(ReadError) -> Int {
        while true {
            let count = block.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count >= 0 {
                buffer.append(contentsOf: block[0..<count])
                return count
            }
            if errno != EINTR { throw ReadError(description: String(cString: strerror(errno))) }
        }
    }
}

/// Collects output lines and writes them to standard output in large chunks.
private struct OutputBuffer {
    private var bytes: [UInt8] = []

    mutating func append(_ line: String) {
        bytes.append(contentsOf: line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        if bytes.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
        guard !bytes.isEmpty else { return }
        FileHandle.standardOutput.write(Data(bytes))
        bytes.removeAll(keepingCapacity: true)
    }
}
