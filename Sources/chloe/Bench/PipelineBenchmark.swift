import Exchanges
import Foundation
import Host

/// Drives synthetic market events through a whole ``PipelineRouter`` (shards, candle builders,
/// rings, latest state, one ``ThresholdStrategy`` per symbol, signal records, output hub).
struct PipelineBenchmark {
    struct Throughput {
        let shards: Int
        let events: Int
        let seconds: Double
        var eventsPerSecond: Double { Double(events) / seconds }
        let signals: UInt64
    }

    struct Latency {
        let rate: Int
        let signals: UInt64
        /// Nanoseconds, event entering the router to the signal record.
        let p50: UInt64
        let p99: UInt64
        let max: UInt64
    }

    struct Memory {
        let symbols: Int
        let bytesPerSymbol: Double
    }

    let symbols: Int
    let strategy = ThresholdStrategy(name: "bench", trigger: .tick, period: 20, band: 0.0005)

    /// Prices that wander around 100: a walk of 4,096 steps, as exact decimals.
    private static let prices: [ExactDecimal] = {
        var random = SystemRandomNumberGenerator()
        var ticks: Int64 = 10_000
        return (0..<4096).map { _ in
            ticks += Int64.random(in: -3...3, using: &random)
            return ExactDecimal(mantissa: ticks, exponent: -2)
        }
    }()

    private func names(_ count: Int) -> [CanonicalSymbol] {
        (0..<count).map { CanonicalSymbol(base: "S\($0)", quote: "USDT") }
    }

    /// Event `k` of the stream: symbols in turn, trades and tickers alternating, 1 ms apart per symbol.
    @inline(__always)
    private func event(_ k: Int, _ symbols: [CanonicalSymbol], start: Int64) -> MarketEvent {
        let symbol = symbols[k % symbols.count]
        let time = start + Int64(k / symbols.count)
        let price = Self.prices[(k / symbols.count) & 4095]
        let payload: MarketEvent.Payload = k & 1 == 0
            ? .trade(Trade(price: price, size: ExactDecimal(mantissa: 1), takerSide: .buy, id: ""))
            : .ticker(Ticker(last: price))
        return MarketEvent(exchange: .sim, symbol: symbol, eventTime: time, receiveTime: time, payload: payload)
    }

    /// Events per second through `shards` worker threads, as fast as the producer can send.
    func throughput(shards: Int, events: Int) async -> Throughput {
        let router = PipelineRouter(configuration: .init(shards: shards, publishTicks: false), strategies: strategy)
        defer { router.shutdown() }
        _ = router.hub.subscribe(channels: [.signals, .alerts], capacity: 4096)  // a consumer that never reads
        let symbols = names(self.symbols)
        router.start(symbols, exchange: .sim)
        await router.drain()
        let begin = DispatchTime.now().uptimeNanoseconds
        for k in 0..<events { router.receive(event(k, symbols, start: 1_700_000_000_000)) }
        await router.drain()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9
        return Throughput(shards: shards, events: events, seconds: seconds, signals: router.statistics().signals)
    }

    /// Event-to-signal latency at a steady `rate` (events per second), on `shards` workers.
    func latency(rate: Int, events: Int, shards: Int) async -> Latency {
        let router = PipelineRouter(configuration: .init(shards: shards, publishTicks: false), strategies: strategy)
        defer { router.shutdown() }
        let symbols = names(self.symbols)
        router.start(symbols, exchange: .sim)
        await router.drain()
        let interval = 1_000_000_000 / UInt64(max(1, rate))
        let begin = DispatchTime.now().uptimeNanoseconds
        for k in 0..<events {
            let due = begin + UInt64(k) * interval
            while DispatchTime.now().uptimeNanoseconds < due {}  // spin: sleeping is too coarse for µs pacing
            router.receive(event(k, symbols, start: 1_700_000_000_000))
        }
        await router.drain()
        let statistics = router.statistics()
        return Latency(rate: rate, signals: statistics.signals, p50: statistics.signalLatency.valueAtPercentile(50),
                       p99: statistics.signalLatency.valueAtPercentile(99), max: statistics.signalLatency.max)
    }

    /// Resident memory added per symbol with `count` symbols running, each fed enough events
    /// to fill its tick and trade rings.
    func memory(count: Int) async -> Memory {
        let before = Self.residentBytes()
        let router = PipelineRouter(configuration: .init(shards: 1, publishTicks: false), strategies: strategy)
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
