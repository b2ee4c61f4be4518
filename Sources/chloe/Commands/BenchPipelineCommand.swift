import ArgumentParser
import Foundation
import Host

/// `chloe bench pipeline`: events/s through the whole pipeline, event-to-signal latency, memory per symbol.
struct BenchPipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Time the whole pipeline: events/s on one and two worker threads, event-to-signal latency in process and socket to socket, memory per symbol.",
        discussion: """
        Synthetic trades and tickers for --symbols symbols go through the router, the candle \
        builders (1m, 5m, 15m, 1h), the rings and latest state, and --strategy on every symbol \
        (default: the example strategies/rsi_reversion.lua, whose alert runs on every event and \
        whose signal rule on every closed 1-minute candle; each symbol has its own Lua state). \
        Throughput is measured with the producer sending as fast as it can; in-process latency \
        (event entering the router to its signal record) at a steady --rate; memory as resident \
        bytes added per symbol with --memory-symbols symbols running. Socket to socket: the whole \
        daemon (`chloe run`, its own process) on loopback, fed trade frames by a local server speaking Binance's protocol at \
        --socket-rate, timed from writing each frame to a /realtime/ws client reading the trade's \
        own frame, and the signal every 50th trade causes (stored first, as always).
        """
    )

    @Option(help: "Symbols in the throughput and latency runs.")
    var symbols: Int = 100

    @Option(help: "Events per throughput run.")
    var events: Int = 2_000_000

    @Option(help: "Events per second in the latency run.")
    var rate: Int = 10_000

    @Option(help: "Seconds of the latency run (at most --events events); at 100 symbols the example strategy made about 50 signals in 10 s and 100 in 60 s, so a p99 over signals wants a minute or more.")
    var latencySeconds: Double = 10

    @Option(help: "Symbols in the memory run.")
    var memorySymbols: Int = 1000

    @Option(help: "The strategy on every symbol: a Lua file, or builtin:threshold[:period[:band[:interval|tick]]].")
    var strategy = "strategies/rsi_reversion.lua"

    @Option(help: "Events a shard's queue holds before producers wait (the pipeline's queueCapacity).")
    var queueCapacity = PipelineConfiguration().queueCapacity

    @Option(help: "Microseconds an idle shard thread spins before parking (default: the pipeline's idleSpin).")
    var idleSpin: Int?

    @Option(help: "Microseconds a shard must have been idle for the producer to process its event itself instead of waking the shard's thread, or 'off' (default: the pipeline's callerRunsAfterIdle).")
    var callerRunsAfterIdle: String?

    @Option(help: "Milliseconds (feed time) before each candle boundary in which every shard rehearses a candle close, as the daemon does (pipeline.close_rehearsal_ms), or 'off'.")
    var closeRehearsal = "1000"

    @Option(help: "A CSV file to write each signal of the in-process latency run to: time_ms,symbol,trigger,latency_us (the time of the event that closed the candle, the symbol, the timeframe, event to signal in µs).")
    var latencyTrace: String?

    @Option(help: "Trade frames per second in the socket-to-socket run (0 skips it).")
    var socketRate: Int = 10_000

    @Option(help: "Seconds of the socket-to-socket run.")
    var socketSeconds: Double = 5

    @Option(help: "The chloe executable to run as the daemon in the socket-to-socket run (default: this one), to compare two builds of the daemon under the same harness.")
    var socketDaemon: String?

    @Option(help: "A CSV file to write each trade of the socket-to-socket run to: trade,sent_ns,latency_ns (when it was written, CLOCK_MONOTONIC ns; its frame's latency, empty if never read).")
    var socketTrace: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        let stage = try ReplayStrategyLoader.load(strategy)
        let spin: Duration = idleSpin.map { .microseconds(max(0, $0)) } ?? PipelineConfiguration().idleSpin
        let callerRuns = try callerRunsDuration()
        let rehearsal = try closeRehearsalSettings()
        let bench = PipelineBenchmark(symbols: max(1, symbols), strategy: stage, queueCapacity: queueCapacity, idleSpin: spin,
                                      callerRunsAfterIdle: callerRuns, closeRehearsal: rehearsal)
        let memory = await bench.memory(count: max(1, memorySymbols))
        var throughput: [PipelineBenchmark.Throughput] = []
        for shards in [1, 2] { throughput.append(await bench.throughput(shards: shards, events: max(1, events))) }
        // Warm-up: 30 one-minute candles of every symbol (60 events each), then --latency-seconds at --rate.
        let latency = try await bench.latency(rate: max(1, rate), events: max(1, min(events, Int(Double(rate) * max(0.1, latencySeconds)))),
                                          warmup: max(1, symbols) * 60 * 30, shards: 1, trace: latencyTrace)
        let socket = socketRate > 0 ? try await SocketLatencyBenchmark(rate: socketRate, seconds: max(0.1, socketSeconds), daemonExecutable: socketDaemon, tracePath: socketTrace).run() : nil
        if json {
            let rows = throughput.map { "{\"shards\":\($0.shards),\"events\":\($0.events),\"events_per_second\":\(Int($0.eventsPerSecond)),\"signals\":\($0.signals),\"events_per_cpu_second\":\(Int($0.eventsPerCPUSecond))}" }
            let socketJSON = socket.map {
                ",\"socket\":{\"rate\":\($0.rate),\"sent\":\($0.sent),\"trades\":\(Self.json($0.trades)),\"signals\":\(Self.json($0.signals)),\"daemon_cpu_ns_per_trade\":\($0.daemonCPUPerTrade),\"harness_cpu_ns_per_trade\":\($0.harnessCPUPerTrade)}"
            } ?? ""
            print("""
                {"strategy":"\(strategy)","throughput":[\(rows.joined(separator: ","))],\
                "latency":{"rate":\(latency.rate),"events":\(latency.events),"event_p50_ns":\(latency.eventP50),"event_p99_ns":\(latency.eventP99),\
                "queue_p50_ns":\(latency.queueP50),"queue_p99_ns":\(latency.queueP99),\
                "signals":\(latency.signals),"p50_ns":\(latency.p50),"p99_ns":\(latency.p99),"max_ns":\(latency.max),\
                "worker_cpu":\(String(format: "%.3f", latency.workerCPU)),"inline_share":\(String(format: "%.3f", latency.inlineShare)),\
                "inline_cpu":\(String(format: "%.3f", latency.inlineCPU)),"rehearsals":\(latency.rehearsals),\
                "rehearsal_ns":\(latency.rehearsalNanoseconds)},\
                "memory":{"symbols":\(memory.symbols),"bytes_per_symbol":\(Int(memory.bytesPerSymbol))}\(socketJSON)}
                """)
            return
        }
        print("pipeline, \(symbols) symbols, \(strategy) on every symbol")
        for t in throughput {
            print("  \(t.shards) worker\(t.shards == 1 ? " " : "s"): \(Int(t.eventsPerSecond)) events/s (\(t.events) events in \(String(format: "%.3f", t.seconds)) s, \(t.signals) signals; \(Int(t.eventsPerCPUSecond)) events per worker-CPU second)")
        }
        print("  latency at \(latency.rate) events/s, event processed (strategy included): p50 \(micro(latency.eventP50)) µs, p99 \(micro(latency.eventP99)) µs (\(latency.events) events)")
        print("    of which waiting in the shard's queue (waking its thread): p50 \(micro(latency.queueP50)) µs, p99 \(micro(latency.queueP99)) µs")
        print("  latency at \(latency.rate) events/s, event to signal: p50 \(micro(latency.p50)) µs, p99 \(micro(latency.p99)) µs, max \(micro(latency.max)) µs (\(latency.signals) signals)")
        print("    worker thread CPU during it: \(Int((latency.workerCPU * 100).rounded())) % of a core (idle spin \(spin.components.seconds * 1_000_000 + spin.components.attoseconds / 1_000_000_000_000) µs)")
        print("    processed by the producer itself (shard idle \(callerRuns.map { "≥ \($0.components.attoseconds / 1_000_000_000_000 + $0.components.seconds * 1_000_000) µs" } ?? "never")): \(percent(latency.inlineShare)) of the events, \(percent(latency.inlineCPU)) of a core")
        print("    close rehearsals (\(closeRehearsal == "off" ? "off" : "\(closeRehearsal) ms before each boundary")): \(latency.rehearsals), \(micro(latency.rehearsals == 0 ? 0 : latency.rehearsalNanoseconds / latency.rehearsals)) µs each on average")
        print("  memory: \(String(format: "%.1f", memory.bytesPerSymbol / 1024)) KiB per symbol with \(memory.symbols) symbols")
        if let socket {
            let trades = socket.trades, signals = socket.signals
            print("  socket to socket at \(socket.rate) trades/s, trade frame -> its tick frame: p50 \(micro(trades.p50)) µs, p99 \(micro(trades.p99)) µs, max \(micro(trades.max)) µs (\(trades.count) of \(socket.sent))")
            print("  socket to socket, trade frame -> its signal frame (stored first): p50 \(micro(signals.p50)) µs, p99 \(micro(signals.p99)) µs, max \(micro(signals.max)) µs (\(signals.count) of \(socket.sent / SocketLatencyBenchmark.tradesPerSignal))")
            print("  daemon CPU (all its threads) per trade: \(micro(socket.daemonCPUPerTrade)) µs; the benchmark's exchange server and client: \(micro(socket.harnessCPUPerTrade)) µs")
        }
    }

    private func percent(_ share: Double) -> String { "\(Int((share * 100).rounded())) %" }

    /// `--caller-runs-after-idle`: microseconds, or "off".
    private func callerRunsDuration() throws -> Duration? {
        guard let text = callerRunsAfterIdle else { return PipelineConfiguration().callerRunsAfterIdle }
        if text == "off" { return nil }
        guard let micros = Int(text), micros >= 0 else {
            throw ValidationError("--caller-runs-after-idle takes microseconds (0 or more) or 'off', not '\(text)'")
        }
        return .microseconds(micros)
    }

    /// `--close-rehearsal`: milliseconds, or "off".
    private func closeRehearsalSettings() throws -> CloseRehearsalSettings? {
        if closeRehearsal == "off" { return nil }
        guard let millis = Int(closeRehearsal), millis >= 1 else {
            throw ValidationError("--close-rehearsal takes milliseconds (1 or more) or 'off', not '\(closeRehearsal)'")
        }
        return CloseRehearsalSettings(lead: .milliseconds(millis))
    }

    private func micro(_ ns: UInt64) -> String { String(format: "%.1f", Double(ns) / 1000) }

    private static func json(_ p: SocketLatencyBenchmark.Percentiles) -> String {
        "{\"count\":\(p.count),\"p50_ns\":\(p.p50),\"p99_ns\":\(p.p99),\"max_ns\":\(p.max)}"
    }
}
