import Exchanges
import Foundation
import NIOCore
import NIOPosix

/// Socket to socket: a trade frame written by a local server speaking Binance's protocol, through
/// the whole daemon (Binance connector, pipeline, a Lua strategy on every tick, the broadcaster)
/// to the frame a client of `/realtime/ws` reads for it: the trade itself on the `ticks` channel,
/// and, every 50th trade, the signal it causes (which is committed to SQLite first), all on
/// loopback. The daemon is its own process (`chloe run` with a configuration written for the
/// run), as users run it; the local server and the client share the benchmark's process. The
/// trade's time is `base + k`, so each frame's `time` says which trade it answers.
struct SocketLatencyBenchmark {
    struct Result {
        let rate: Int
        let sent: Int
        /// Trade frames read back, and nanoseconds from writing each to reading it.
        let trades: Percentiles
        /// Signal frames read (one is due every 50 trades), and nanoseconds from writing the trade.
        let signals: Percentiles
        /// The daemon process's CPU time (user and system, all threads) per trade sent.
        let daemonCPUPerTrade: UInt64
        /// The benchmark's own CPU time (the exchange server and the client) per trade sent: on a
        /// machine with few cores it competes with the daemon, which shows in the tail.
        let harnessCPUPerTrade: UInt64
    }

    struct Percentiles {
        let count: Int
        let p50: UInt64
        let p99: UInt64
        let max: UInt64

        init(_ values: [UInt64]) {
            let sorted = values.sorted()
            count = sorted.count
            func at(_ p: Double) -> UInt64 { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
            p50 = at(0.5)
            p99 = at(0.99)
            max = sorted.last ?? 0
        }
    }

    /// Trades between two crossings of 100 (so a signal every 50 trades).
    static let tradesPerSignal = 50

    /// Trades per second.
    let rate: Int
    let seconds: Double
    /// The `chloe` executable run as the daemon (nil: this one), to compare builds of the
    /// daemon under the same harness.
    var daemonExecutable: String? = nil
    /// A CSV file to write every trade's timing to (`trade,sent_ns,latency_ns`), or nil.
    var tracePath: String? = nil

    /// Signals when the price crosses 100 (the host emits whatever a call returns).
    static let strategy = """
        return {
          on_tick = function(ctx)
            local level = ctx.price > 100 and "buy" or "sell"
            if level == ctx.state.level then return nil end
            ctx.state.level = level
            return level, "crossed 100"
          end,
        }
        """

    /// The whole harness (the exchange server, the driver's timers and the client) runs on one
    /// event loop of its own, in channel handlers: a frame is timed on the thread that writes
    /// it, just before the write, and on the thread that reads its answer, as it is read.
    func run() async throws -> Result {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let result = try await run(on: group.next())
            try await group.shutdownGracefully()
            return result
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private func run(on loop: any EventLoop) async throws -> Result {
        let server = try await TradeFeedServer.start(on: loop)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chloe-bench-\(UUID())")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("strategies"), withIntermediateDirectories: true)
        try Self.strategy.write(to: folder.appendingPathComponent("strategies/flip.lua"), atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = folder.appendingPathComponent("chloe.yaml")
        try Self.configuration(folder: folder.path, feedURL: server.webSocketURL).write(to: configuration, atomically: true, encoding: .utf8)

        let daemon = try DaemonProcess(configuration: configuration.path, executable: daemonExecutable)
        defer { daemon.stop() }
        let port = try await daemon.port()
        try await server.waitForSubscription(to: "btcusdt@trade", timeout: .seconds(30))

        let count = max(1, Int(Double(rate) * seconds))
        let base = Int64(Date.now.timeIntervalSince1970 * 1000)
        let sent = SentTimes(count: count)
        let expected = count + count / Self.tradesPerSignal
        let subscribed = loop.makePromise(of: Void.self)
        let done = loop.makePromise(of: Void.self)
        // The client is the connectors' own transport: each frame is handed over, and timed, in
        // the turn of the loop that read it.
        let client = try await FrameSocket.connect(to: "ws://127.0.0.1:\(port)/realtime/ws", maximumFrameSize: 1 << 24,
                                                   timeout: .seconds(10), on: loop, frames: { frame in
            // On the loop: the trade or signal a frame answers, the subscription's confirmation.
            let now = DispatchTime.now().uptimeNanoseconds
            let answered = frame.withUnsafeReadableBytes { bytes -> Int? in
                let bytes = bytes.bindMemory(to: UInt8.self)
                if bytes.starts(with: #"{"type":"subscribed""#.utf8) {
                    subscribed.succeed()
                    return nil
                }
                guard let (k, isSignal) = Self.tradeIndex(bytes, base: base), k < count else { return nil }
                return sent.answered(k, signal: isSignal, at: now)
            }
            if let answered, answered >= expected { done.succeed() }
        }, ended: { _ in })
        try await client.send(#"{"type": "subscribe", "channels": ["signals", "ticks"]}"#)
        try await subscribed.futureResult.get()

        let cpuBefore = daemon.cpuNanoseconds(), harnessBefore = Stopwatch.processCPUNanoseconds()
        let rate = rate
        loop.execute { TradeDriver(server: server, rate: rate, count: count, base: base, sent: sent).start() }
        // Signals still missing 10 s after the last frame are counted as lost: end the read.
        loop.scheduleTask(in: .nanoseconds(Int64((seconds + 10) * 1e9))) { done.succeed() }
        try await done.futureResult.get()
        let cpu = daemon.cpuNanoseconds() - cpuBefore, harness = Stopwatch.processCPUNanoseconds() - harnessBefore
        await client.close()
        daemon.stop()
        await server.stop()
        if let tracePath { try sent.writeTrace(to: tracePath) }
        return Result(rate: rate, sent: count, trades: Percentiles(sent.latencies(signals: false)),
                      signals: Percentiles(sent.latencies(signals: true)), daemonCPUPerTrade: cpu / UInt64(count),
                      harnessCPUPerTrade: harness / UInt64(count))
    }

    /// The daemon's configuration: one Binance feed from the local server, the strategy above,
    /// no model, and the log at `info` (its "API listening" line gives the port).
    static func configuration(folder: String, feedURL: String) -> String {
        """
        log_level: info
        api: {host: 127.0.0.1, port: 0}
        storage: {data_dir: "\(folder)/data"}
        strategies: {dir: "\(folder)/strategies", plugins_dir: "\(folder)/strategies"}
        model: {path: "\(folder)/no-model.json"}
        feeds:
          - exchange: binance
            symbols: [BTC/USDT]
            options: {websocket_url: "\(feedURL)", books: false, tickers: false}

        """
    }

    /// The trade a frame answers (its `time` less `base`), and whether it is a signal (or the
    /// trade itself); nil for other frames. The frame's bytes are scanned, not parsed, so the
    /// client's own cost stays small beside the daemon's (the envelope is
    /// `{"type":…,"seq":…,…,"data":{…}}` and the first `"time":` is the record's).
    static func tradeIndex(_ bytes: UnsafeBufferPointer<UInt8>, base: Int64) -> (Int, Bool)? {
        let isSignal = bytes.starts(with: #"{"type":"signal""#.utf8)
        guard isSignal || find(#""kind":"trade""#, in: bytes) != nil, var at = find(#""time":"#, in: bytes) else { return nil }
        var time: Int64 = 0
        while at < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at]) {
            time = time &* 10 &+ Int64(bytes[at] &- UInt8(ascii: "0"))
            at += 1
        }
        let k = time - base
        return k >= 0 ? (Int(k), isSignal) : nil
    }

    /// The index just after the first occurrence of `needle` in `bytes`.
    private static func find(_ needle: StaticString, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard pattern.count <= bytes.count else { return nil }
        var i = 0
        while i <= bytes.count - pattern.count {
            if bytes[i] == pattern[0], memcmp(bytes.baseAddress! + i, pattern.baseAddress!, pattern.count) == 0 { return i + pattern.count }
            i += 1
        }
        return nil
    }
}

/// When each trade frame was written and its frames read (monotonic ns), shared by the
/// driver and the reader.
final class SentTimes: @unchecked Sendable {
    private var written: [UInt64]
    /// Each trade's latency by its number (0: its frame was not read).
    private var tradeLatency: [UInt64]
    private var trades: [UInt64] = []
    private var signals: [UInt64] = []
    private let lock = NSLock()

    init(count: Int) {
        written = Array(repeating: 0, count: count)
        tradeLatency = Array(repeating: 0, count: count)
        trades.reserveCapacity(count)
    }

    func set(_ k: Int, _ value: UInt64) { lock.withLock { written[k] = value } }

    /// A frame answering trade `k` (its signal, or the trade itself) was read at `now`.
    /// Returns how many frames have been answered so far.
    func answered(_ k: Int, signal: Bool, at now: UInt64) -> Int {
        lock.withLock {
            if written[k] > 0 {
                if signal {
                    signals.append(now &- written[k])
                } else {
                    trades.append(now &- written[k])
                    tradeLatency[k] = now &- written[k]
                }
            }
            return signals.count + trades.count
        }
    }

    func latencies(signals wanted: Bool) -> [UInt64] { lock.withLock { wanted ? signals : trades } }

    /// Writes `trade,sent_ns,latency_ns` per trade: when it was written (the monotonic clock,
    /// `CLOCK_MONOTONIC` ns, to line it up with other records of the machine) and its frame's
    /// latency (empty when it was not read), to see how the slow ones cluster.
    func writeTrace(to path: String) throws {
        var text = "trade,sent_ns,latency_ns\n"
        lock.withLock {
            for (k, time) in written.enumerated() where time > 0 {
                text += "\(k),\(time),\(tradeLatency[k] > 0 ? String(tradeLatency[k]) : "")\n"
            }
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
