import Foundation
import Model

/// Draws `chloe train`'s loss per round on stderr: one bar redrawn in place on a terminal,
/// one line per round otherwise (logs, pipes).
struct TrainingProgressBar {
    private let terminal = isatty(STDERR_FILENO) != 0
    private var drawn = false

    mutating func show(_ p: GradientBoostingTrainer.Progress) {
        let width = 30
        let filled = min(width, p.round * width / max(1, p.rounds))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = "round \(p.round)/\(p.rounds) [\(bar)] train loss \(format(p.trainingLoss)) validation loss \(format(p.validationLoss)) (best round \(p.bestRound))"
        FileHandle.standardError.write(Data((terminal ? "\r\u{1B}[K" + line : line + "\n").utf8))
        drawn = true
    }

    /// Ends the bar's line on a terminal.
    func finish() {
        if terminal, drawn { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func format(_ x: Double) -> String { String(format: "%.5f", x) }
}
