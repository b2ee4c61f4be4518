import Foundation
import Host

/// Prints a replay's records as JSON lines or a table, as they come.
final class ReplayPrinter: @unchecked Sendable {
    let format: ReplayCommand.Format
    private let encoder: JSONEncoder
    private let lock = NSLock()

    init(format: ReplayCommand.Format) {
        self.format = format
        encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    }

    func header() {
        guard format == .table else { return }
        write(row(["time", "symbol", "type", "level", "strategy", "trigger", "detail"]))
    }

    func print(_ record: PipelineRecord) {
        switch record {
        case .signal(let signal):
            if format == .json { json("signal", signal) } else {
                write(row([iso(signal.time), signal.symbol, "signal", signal.level.name, signal.strategy, signal.trigger, signal.reason]))
            }
        case .alert(let alert):
            if format == .json { json("alert", alert) } else {
                write(row([iso(alert.time), alert.symbol, "alert", alert.severity.rawValue, alert.strategy, alert.name, alert.message]))
            }
        case .strategyError(let failure):
            if format == .json { json("strategy_error", failure) } else {
                write(row(["", failure.symbol, "error", "", failure.strategy, "", failure.message]))
            }
        default:
            break
        }
    }

    func summary(_ summary: ReplaySummary) {
        if format == .json { return json("summary", summary) }
        let levels = summary.levels.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        write("""
            summary: \(summary.symbols.joined(separator: ", ")): \(summary.events) events, \(summary.candles) candles, \
            \(summary.signals) signals (\(levels.isEmpty ? "none" : levels)), \(summary.alerts) alerts, \
            \(summary.strategyErrors) strategy errors in \(String(format: "%.3f", summary.seconds)) s \
            (\(Int(summary.eventsPerSecond)) events/s)

            """)
    }

    /// The outcome of `--signal`: one `signal_replay` object, or a few lines of text.
    func signalReplay(_ outcome: SignalReplay.Outcome) {
        if format == .json { return json("signal_replay", outcome) }
        let original = outcome.original
        var text = """
            signal \(outcome.id): \(original.symbol) \(original.level.name) by \(outcome.strategy) \
            (\(outcome.strategyHash.prefix(12))) on \(outcome.interval) at \(iso(original.time)): \(original.reason)
            replayed over \(outcome.candles) stored \(outcome.interval) candles: 
            """
        if let replayed = outcome.replayed {
            text += "\(replayed.level.name): \(replayed.reason)\n"
        } else {
            text += "no signal\n"
        }
        text += outcome.reproduced ? "reproduced\n" : "not reproduced:\n" + outcome.differences.map { "  \($0)\n" }.joined()
        write(text)
    }

    /// One object: `{"type": type, ...fields}`.
    private func json<T: Encodable>(_ type: String, _ value: T) {
        guard let data = try? encoder.encode(value), var text = String(data: data, encoding: .utf8) else {
            FileHandle.standardError.write(Data("chloe replay: a \(type) record could not be encoded\n".utf8))
            return
        }
        text = text == "{}" ? "{\"type\":\"\(type)\"}" : "{\"type\":\"\(type)\"," + text.dropFirst()
        write(text + "\n")
    }

    private func row(_ cells: [String]) -> String {
        let widths = [24, 10, 7, 12, 12, 8]
        var line = ""
        for (k, cell) in cells.enumerated() {
            line += k < widths.count ? cell.padding(toLength: max(widths[k], cell.count), withPad: " ", startingAt: 0) + " " : cell
        }
        return line + "\n"
    }

    private func iso(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    private func write(_ text: String) {
        lock.withLock { FileHandle.standardOutput.write(Data(text.utf8)) }
    }
}
