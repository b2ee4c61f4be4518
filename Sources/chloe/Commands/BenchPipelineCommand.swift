import ArgumentParser
import Foundation

/// `chloe bench pipeline`: events/s through the whole pipeline, event-to-signal latency, memory per symbol.
struct BenchPipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Time the whole pipeline: events/s on one and two worker threads, event-to-signal latency, memory per symbol.",
        discussion: """
        Synthetic trades and tickers for --symbols symbols go through the router, the candle \
        builders (1m, 5m, 15m, 1h), the rings and latest state, and one threshold strategy per \
        symbol (an EMA of the price, a signal whenever its level changes). Throughput is measured \
        with the producer sending as fast as it can; latency (event entering the router to its \
        signal record, HdrHistogram) at a steady --rate; memory as resident bytes added per symbol \
        with --memory-symbols symbols running.
        """
    )

    @Option(help: "Symbols in the throughput and latency runs.")
    var symbols: Int = 100

    @Option(help: "Events per throughput run.")
    var events: Int = 2_000_000

    @Option(help: "Events per second in the latency run.")
    var rate: Int = 100_000

    @Option(help: "Symbols in the memory run.")
    var memorySymbols: Int = 1000

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        let bench = PipelineBenchmark(symbols: max(1, symbols))
        let memory = await bench.memory(count: max(1, memorySymbols))
        var throughput: [PipelineBenchmark.Throughput] = []
        for shards in [1, 2] { throughput.append(await bench.throughput(shards: shards, events: max(1, events))) }
        let latency = await bench.latency(rate: max(1, rate), events: max(1, min(events, rate * 5)), shards: 1)
        if json {
            let rows = throughput.map { "{\"shards\":\($0.shards),\"events\":\($0.events),\"events_per_second\":\(Int($0.eventsPerSecond)),\"signals\":\($0.signals)}" }
            print("""
                {"throughput":[\(rows.joined(separator: ","))],\
                "latency":{"rate":\(latency.rate),"signals":\(latency.signals),"p50_ns":\(latency.p50),"p99_ns":\(latency.p99),"max_ns":\(latency.max)},\
                "memory":{"symbols":\(memory.symbols),"bytes_per_symbol":\(Int(memory.bytesPerSymbol))}}
                """)
            return
        }
        print("pipeline, \(symbols) symbols, one threshold strategy per symbol")
        for t in throughput {
            print("  \(t.shards) worker\(t.shards == 1 ? " " : "s"): \(Int(t.eventsPerSecond)) events/s (\(t.events) events in \(String(format: "%.3f", t.seconds)) s, \(t.signals) signals)")
        }
        print("  latency at \(latency.rate) events/s: p50 \(micro(latency.p50)) µs, p99 \(micro(latency.p99)) µs, max \(micro(latency.max)) µs (\(latency.signals) signals)")
        print("  memory: \(String(format: "%.1f", memory.bytesPerSymbol / 1024)) KiB per symbol with \(memory.symbols) symbols")
    }

    private func micro(_ ns: UInt64) -> String { String(format: "%.1f", Double(ns) / 1000) }
}
