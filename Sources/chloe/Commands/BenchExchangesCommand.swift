import ArgumentParser
import Exchanges
import Foundation

/// `chloe bench exchanges`: frames decoded per second per exchange, and book-delta cost.
struct BenchExchangesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exchanges",
        abstract: "Time the exchange decoders (frames/s per exchange, one core) and book-delta application (ns per level).",
        discussion: """
        Each exchange's recorded ticker and trade frame is decoded --frames times by one \
        decoder, as a connection reuses it; the best of --rounds runs is reported. The book \
        figure applies one-level deltas near the top of a 5000-level book.
        """
    )

    @Option(help: "Frames decoded per figure.")
    var frames: Int = 1_000_000

    @Option(help: "Runs per figure; the best is reported.")
    var rounds: Int = 5

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let benchmark = DecodeBenchmark(frames: frames, rounds: rounds)
        let results = try benchmark.decoding()
        let apply = benchmark.bookDeltaApply()
        if json {
            let rows = results.map {
                "{\"exchange\":\"\($0.exchange)\",\"kind\":\"\($0.kind)\",\"frames_per_second\":\(Int($0.framesPerSecond)),\"ns_per_frame\":\(format($0.nanosecondsPerFrame))}"
            }
            print("{\"decode\":[" + rows.joined(separator: ",") + "],\"book_delta_ns_per_level\":\(format(apply))}")
        } else {
            print("frames: \(frames), best of \(rounds)")
            print("exchange  kind      frames/s     ns/frame")
            for r in results {
                print(r.exchange.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                      + r.kind.padding(toLength: 8, withPad: " ", startingAt: 0)
                      + pad(String(Int(r.framesPerSecond)), 10) + pad(format(r.nanosecondsPerFrame), 13))
            }
            print("book delta apply: \(format(apply)) ns per level")
        }
    }

    private func format(_ ns: Double) -> String { String(format: "%.1f", ns) }
    private func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
}
