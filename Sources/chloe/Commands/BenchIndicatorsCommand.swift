import ArgumentParser
import Foundation
import Host
import Indicators

/// `chloe bench indicators`: ns per streaming update and per batch element for every indicator.
struct BenchIndicatorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "Time every built-in indicator: ns per streaming update and ns per element in batch.",
        discussion: """
        The input is a real candle series (the bundled sample unless --candles is given) repeated \
        end to end to --count candles, each repetition scaled to continue the last; with \
        `--series walk`, a random walk that never repeats instead (a branch predictor learns a \
        repeated series). `scripts/talib_bench.py` takes the same options and builds the same \
        series; the table's first line prints its fingerprint, as the script does. Each figure \
        is the best of --rounds runs. `streaming` calls the indicator's typed update once per \
        candle; `catalog` goes through the run-time `CandleIndicator` interface the pipeline \
        uses; `batch` is the indicator's batch function over arrays.
        """
    )

    @Option(help: "Candle file to repeat (CSV or freqtrade JSON).")
    var candles: String = "samples/candles/XRP_ETH-1m.csv"

    @Option(help: "The series: 'repeat' (--candles repeated) or 'walk' (a random walk, --candles unused).")
    var series: SyntheticCandles.Kind = .repeat

    @Option(help: "Number of candles.")
    var count: Int = 1_000_000

    @Option(help: "Runs per figure; the best is reported.")
    var rounds: Int = 5

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let input = switch series {
        case .repeat: SyntheticCandles.make(from: try CandleFile.read(path: candles), count: count)
        case .walk: SyntheticCandles.walk(count: count)
        }
        let results = try IndicatorBenchmark(series: input, rounds: rounds).run()
        if json {
            let rows = results.map {
                "{\"indicator\":\"\($0.name)\",\"streaming_ns\":\(format($0.streaming)),\"catalog_ns\":\(format($0.catalog)),\"batch_ns\":\(format($0.batch))}"
            }
            print("[" + rows.joined(separator: ",\n") + "]")
        } else {
            print("series \(series.rawValue): \(SyntheticCandles.fingerprint(input)); best of \(rounds)")
            print("indicator".padding(toLength: 20, withPad: " ", startingAt: 0) + "  streaming ns/update  catalog ns/update  batch ns/element")
            for r in results {
                print(r.name.padding(toLength: 20, withPad: " ", startingAt: 0)
                      + "  " + pad(format(r.streaming), 19) + "  " + pad(format(r.catalog), 17) + "  " + pad(format(r.batch), 16))
            }
        }
    }

    private func format(_ ns: Double) -> String { String(format: "%.2f", ns) }
    private func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
}

extension SyntheticCandles.Kind: ExpressibleByArgument {}
