import Exchanges
import Foundation
import Host

/// Drives synthetic market events through a whole ``PipelineRouter`` (shards, candle builders,
/// rings, latest state, the strategy stage with one strategy state per symbol, signal records,
/// output hub).
struct PipelineBenchmark {
    struct Throughput {
        let shards: Int
        let events: Int
        let seconds: Double
        var eventsPerSecond: Double { Double(events) / seconds }
        let signals: UInt64
        /// CPU time the worker threads used for the run (their own clocks: time they were
        /// descheduled for other processes is not in it), plus the time the producer spent
        /// processing events itself while a shard was idle.
        let workerCPUSeconds: Double
        /// Events per second of worker CPU: what one core does, however busy the machine was.
        var eventsPerCPUSecond: Double { Double(events) / workerCPUSeconds }
    }

    struct Latency {
        let rate: Int
        let events: Int
        let signals: UInt64
        /// Nanoseconds, event entering the router to the end of its processing (strategy included).
        let eventP50: UInt64
        let eventP99: UInt64
        /// Nanoseconds an event waited in its shard's queue (waking the shard included).
        let queueP50: UInt64
        let queueP99: UInt64
        /// Nanoseconds, event entering the router to the signal record (0 without signals).
        let p50: UInt64
        let p99: UInt64
        let max: UInt64
        /// CPU time of the worker threads during the paced run, per wall-clock time: the share of a
        /// core they used (spinning, parking and waking included).
        let workerCPU: Double
        /// Share of the events the producer processed itself because their shard was idle.
        let inlineShare: Double
        /// Time the producer spent processing them, per wall-clock time.
        let inlineCPU: Double
        /// Close rehearsals during the paced run, and their time in all (ns).
        let rehearsals: UInt64
        let rehearsalNanoseconds: UInt64
    }

    struct Memory {
        let symbols: Int
        let bytesPerSymbol: Double
    }

    let symbols: Int
    /// The strategy stage: by default an example Lua strategy (a state per symbol).
    let strategy: any StrategyStage
    /// Each shard queue's capacity.
    let queueCapacity: Int
    /// How long an idle shard spins before parking.
    let idleSpin: Duration
    /// How long a shard must have been idle for the producer to process its event itself.
    let callerRunsAfterIdle: Duration?
    /// The shards' close rehearsal (nil: none).
    let closeRehearsal: CloseRehearsalSettings?

    /// Prices that wander around 100: a walk of 65,536 steps (1,092 one-minute candles of a
    /// symbol) with a drift that turns every 600 steps (ten candles up, ten down), so
    /// momentum and reversion rules fire; as exact decimals.
    private static let prices: [ExactDecimal] = {
        var random = SplitMix64(seed: 7)  // the same walk every run
        var ticks: Int64 = 10_000
        return (0..<65_536).map { step in
            let drift: Int64 = (step / 600) & 1 == 0 ? 1 : -1
            ticks = max(100, ticks + drift + Int64.random(in: -3...3, using: &random))
            return ExactDecimal(mantissa: ticks, exponent: -2)
        }
    }()

    /// Trade sizes from 0.1 to 4.0 (so candle volumes vary and volume rules can fire).
    private static let sizes: [ExactDecimal] = {
        var random = SplitMix64(seed: 11)
        return (0..<4096).map { _ in ExactDecimal(mantissa: Int64.random(in: 1...40, using: &random), exponent: -1) }
    }()

    private func configuration(shards: Int) -> PipelineConfiguration {
        PipelineConfiguration(shards: shards, queueCapacity: queueCapacity, idleSpin: idleSpin,
                              callerRunsAfterIdle: callerRunsAfterIdle, publishTicks: false, closeRehearsal: closeRehearsal)
    }

    private func names(_ count: Int) -> [CanonicalSymbol] {
        (0..<count).map { CanonicalSymbol(base: "S\($0)", quote: "USDT") }
    }

    /// Event `k` of the stream: symbols in turn, trades and tickers alternating, 1 s apart per
    /// symbol (so a 1-minute candle closes every 60 events of a symbol).
    @inline(__always)
    private func event(_ k: Int, _ symbols: [CanonicalSymbol], start: Int64) -> MarketEvent {
        let symbol = symbols[k % symbols.count]
        let time = start + Int64(k / symbols.count) * 1000
        let price = Self.prices[(k / symbols.count) & 65_535]
        let payload: MarketEvent.Payload = k & 1 == 0
            ? .trade(Trade(price: price, size: Self.sizes[(k / 2) & 4095], takerSide: .buy, id: ""))
            : .ticker(Ticker(last: price))
        return MarketEvent(exchange: .sim, symbol: symbol, eventTime: time, receiveTime: time, payload: payload)
    }

    /// Events per second through `shards` worker threads, as fast as the producer can send.
    func throughput(shards: Int, events: Int) async -> Throughput {
        let router = PipelineRouter(configuration: configuration(shards: shards), strategies: strategy)
        defer { router.shutdown() }
        _ = router.hub.subscribe(channels: [.signals, .alerts], capacity: 4096)  // a consumer that never reads
        let symbols = names(self.symbols)
        router.start(symbols, exchange: .sim)
        await router.drain()
        let before = router.statistics()
        let cpuBefore = before.workerCPUNanoseconds + before.inlineNanoseconds
        let begin = DispatchTime.now().uptimeNanoseconds
        for k in 0..<events { router.receive(event(k, symbols, start: 1_700_000_000_000)) }
        await router.drain()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9
        let statistics = router.statistics()
        return Throughput(shards: shards, events: events, seconds: seconds, signals: statistics.signals,
                          workerCPUSeconds: Double(statistics.workerCPUNanoseconds + statistics.inlineNanoseconds - cpuBefore) / 1e9)
    }

    /// Event-to-signal latency at a steady `rate` (events per second), on `shards` workers,
    /// after an unpaced, unmeasured warm-up of `warmup` events (so the strategy's indicators are
    /// ready and signals come during the measured part). With `trace`, every signal of the
    /// measured part is written there as `time_ms,symbol,trigger,latency_us`.
    func latency(rate: Int, events: Int, warmup: Int, shards: Int, trace: String? = nil) async throws -> Latency {
        let router = PipelineRouter(configuration: configuration(shards: shards), strategies: strategy)
        defer { router.shutdown() }
        _ = router.hub.subscribe(channels: [.signals, .alerts], capacity: 4096)
        let symbols = names(self.symbols)
        router.start(symbols, exchange: .sim)
        for k in 0..<warmup { router.receive(event(k, symbols, start: 1_700_000_000_000)) }
        await router.drain()
        router.resetLatencies()
        let traced = trace.map { _ in router.hub.subscribe(channels: [.signals], capacity: .max) }
        let before = router.statistics()
        let interval = 1_000_000_000 / UInt64(max(1, rate))
        let begin = DispatchTime.now().uptimeNanoseconds
        for k in warmup..<(warmup + events) {
            let due = begin + UInt64(k - warmup) * interval
            while DispatchTime.now().uptimeNanoseconds < due {}  // spin: sleeping is too coarse for µs pacing
            router.receive(event(k, symbols, start: 1_700_000_000_000))
        }
        let wall = DispatchTime.now().uptimeNanoseconds - begin
        await router.drain()
        let statistics = router.statistics()
        if let trace, let traced {
            var text = "time_ms,symbol,trigger,latency_us\n"
            for case .signal(let signal) in traced.drain() {
                text += "\(signal.time),\(signal.symbol),\(signal.trigger),\(signal.latencyMicroseconds)\n"
            }
            try text.write(toFile: trace, atomically: true, encoding: .utf8)
        }
        let workers = statistics.workerCPUNanoseconds - before.workerCPUNanoseconds
        let signals = statistics.signalLatency
        return Latency(rate: rate, events: events, signals: statistics.signals - before.signals,
                       eventP50: statistics.eventLatency.valueAtPercentile(50), eventP99: statistics.eventLatency.valueAtPercentile(99),
                       queueP50: statistics.queueLatency.valueAtPercentile(50), queueP99: statistics.queueLatency.valueAtPercentile(99),
                       p50: signals.totalCount == 0 ? 0 : signals.valueAtPercentile(50),
                       p99: signals.totalCount == 0 ? 0 : signals.valueAtPercentile(99), max: signals.totalCount == 0 ? 0 : signals.max,
                       workerCPU: Double(workers) / Double(max(1, wall)),
                       inlineShare: Double(statistics.inlineEvents - before.inlineEvents) / Double(max(1, events)),
                       inlineCPU: Double(statistics.inlineNanoseconds - before.inlineNanoseconds) / Double(max(1, wall)),
                       rehearsals: statistics.rehearsals - before.rehearsals,
                       rehearsalNanoseconds: statistics.rehearsalNanoseconds - before.rehearsalNanoseconds)
    }

    /// Resident memory added per symbol with `count` symbols running, each fed enough events
    /// to fill its tick and trade rings.
    func memory(count: Int) async -> Memory {
        let before = Self.residentBytes()
        let router = PipelineRouter(configuration: configuration(shards: 1), strategies: strategy)
        defer { router.shutdown() }
        let symbols = names(count)
        router.start(symbols, exchange: .sim)
        for k in 0..<(count * 2_200) { router.receive(event(k, symbols, start: 1_700_000_000_000)) }
        await router.drain()
        let after = Self.residentBytes()
        return Memory(symbols: count, bytesPerSymbol: Double(after - before) / Double(count))
    }

    /// Resident set size from /proc/self/statm (0 where there is none).
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
