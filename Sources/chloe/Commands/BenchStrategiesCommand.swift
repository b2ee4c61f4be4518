import ArgumentParser
import Foundation
import Host
import Indicators

/// `chloe bench strategies`: ns per strategy call, limit overheads, reload across symbols.
struct BenchStrategiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strategies",
        abstract: "Time the Lua strategy runtime: ns per on_candle / on_tick, hook and memory-cap cost, reload across symbols.",
        discussion: """
        The candle series is the bundled sample repeated to --count candles. on_candle figures \
        include the indicator updates and ctx writes of each closed candle; on_tick figures \
        change the price and call every on_tick once per tick. "in turn" is on_candle with \
        --symbols symbols taking turns, one closed candle each, as the daemon calls them: each \
        call then finds its symbol's Lua state cold in the caches. Each figure is the best of \
        --rounds runs. The reload figure is the time for --symbols symbols to build, set up and \
        swap in a new version of strategies/rsi_reversion.lua (state copy included), once with the same indicator \
        (carried over) and once with a different RSI period (replayed from 100 candles of history), \
        on one thread and split over two threads at once, as the daemon's two shard threads pick \
        a new version up.
        """
    )

    @Option(help: "Candle file to repeat (CSV or freqtrade JSON).")
    var candles: String = "samples/candles/XRP_ETH-1m.csv"

    @Option(help: "Number of candles (and ticks) per run.")
    var count: Int = 20_000

    @Option(help: "Runs per figure; the best is reported.")
    var rounds: Int = 3

    @Option(help: "Symbols in the in-turn and reload measurements.")
    var symbols: Int = 1_000

    @Option(help: "Strategies folder.")
    var strategies: String = "strategies"

    @Option(help: "Plugins folder.")
    var plugins: String = "plugins"

    @Flag(help: "Only the reload measurement.")
    var reloadOnly = false

    func run() throws {
        let series = SyntheticCandles.make(from: try CandleFile.read(path: candles), count: count)
        let bench = StrategyBenchmark(candles: series, rounds: rounds, strategies: URL(fileURLWithPath: strategies),
                                      plugins: URL(fileURLWithPath: plugins))
        if reloadOnly { return try reloads(bench) }
        print("candles/ticks per run: \(series.count), best of \(rounds)")
        let inTurn = "in turn (\(symbols))"
        print("strategy".padding(toLength: 34, withPad: " ", startingAt: 0) + "  on_candle ns  " + pad(inTurn, 16) + "  on_tick ns  signals")
        for row in try bench.examples(symbols: symbols) {
            print(row.name.padding(toLength: 34, withPad: " ", startingAt: 0)
                  + "  " + pad(row.candleNanoseconds.map(format) ?? "-", 12) + "  " + pad(row.inTurnNanoseconds.map(format) ?? "-", max(16, inTurn.count))
                  + "  " + pad(row.tickNanoseconds.map(format) ?? "-", 10)
                  + "  " + pad(String(row.signals), 7))
        }
        print("\nlimits (ns per on_tick)")
        for (label, ns) in try bench.limits() {
            print("  " + label.padding(toLength: 68, withPad: " ", startingAt: 0) + pad(format(ns), 10))
        }
        try reloads(bench)
    }

    private func reloads(_ bench: StrategyBenchmark) throws {
        print("\nreload of rsi_reversion across \(symbols) symbols (100 candles of history each)")
        for (label, changing) in [("same indicators (carried over)", false), ("RSI period changed (replayed)", true)] {
            for threads in [1, 2] {
                let reload = try bench.reload(symbols: symbols, changingIndicators: changing, threads: threads)
                let row = "\(label), \(threads == 1 ? "1 thread" : "\(threads) threads (as the daemon's 2 shards)")"
                print("  " + row.padding(toLength: 64, withPad: " ", startingAt: 0)
                      + " \(String(format: "%.1f", reload.milliseconds)) ms"
                      + " (\(String(format: "%.1f", reload.milliseconds * 1000 / Double(symbols))) µs per symbol; \(reload.bytesPerState / 1024) KiB per state)"
                      + "; CPU time \(String(format: "%.1f", reload.cpuMilliseconds)) ms")
            }
        }
    }

    private func format(_ ns: Double) -> String { String(format: "%.1f", ns) }
    private func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
}
