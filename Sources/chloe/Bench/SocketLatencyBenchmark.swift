import Exchanges
import Foundation
import Host
import HummingbirdWSClient
import LocalExchange
import Logging
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

    /// The whole harness (the exchange server, its state, the driver's timers and the client)
    /// runs on one event loop of its own: a frame is written on the thread that times it and
    /// read back there, so the harness wakes once per frame and leaves the rest of the machine
    /// to the daemon.
    func run() async throws -> Result {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let result = try await run(on: group)
            try await group.shutdownGracefully()
            return result
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private func run(on group: MultiThreadedEventLoopGroup) async throws -> Result {
        let loop = EventLoopExecutor(group.next())
        let server = LocalExchangeServer(exchange: .binance, configuration: .init(heartbeatInterval: nil), eventLoopGroup: group)
        _ = try await server.start()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chloe-bench-\(UUID())")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("strategies"), withIntermediateDirectories: true)
        try Self.strategy.write(to: folder.appendingPathComponent("strategies/flip.lua"), atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let configuration = folder.appendingPathComponent("chloe.yaml")
        try Self.configuration(folder: folder.path, server: server).write(to: configuration, atomically: true, encoding: .utf8)

        let daemon = try DaemonProcess(configuration: configuration.path, executable: daemonExecutable)
        defer { daemon.stop() }
        let port = try await daemon.port()
        try await server.waitForMessages(timeout: .seconds(30)) { $0.contains { $0.contains("btcusdt@trade") } }

        var logger = Logger(label: "chloe.bench")
        logger.logLevel = .error
        let count = max(1, Int(Double(rate) * seconds))
        let base = Int64(Date.now.timeIntervalSince1970 * 1000)
        let sent = SentTimes(count: count)
        let cpuBefore = daemon.cpuNanoseconds(), harnessBefore = Stopwatch.processCPUNanoseconds()
        try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/realtime/ws", eventLoopGroup: loop.eventLoop,
                                          logger: logger) { inbound, outbound, _ in
            try await outbound.write(.text(#"{"type": "subscribe", "channels": ["signals", "ticks"]}"#))
            // The driver sleeps on the loop's timers: no timer thread and no pool thread to wake
            // for every frame.
            let driver = Task(executorPreference: loop) {
                try await drive(server, count: count, base: base, sent: sent, timers: loop.eventLoop)
            }
            defer { driver.cancel() }
            // Signals still missing 10 s after the last frame are counted as lost: end the read.
            let stopper = Task {
                try await Task.sleep(for: .seconds(seconds + 10))
                try? await outbound.close(.goingAway, reason: "the benchmark's time is up")
            }
            defer { stopper.cancel() }
            let expected = count + count / Self.tradesPerSignal
            try await withTaskExecutorPreference(loop) {
                var received = 0
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    let now = DispatchTime.now().uptimeNanoseconds
                    guard case .text(var text) = message, let (k, isSignal) = Self.tradeIndex(&text, base: base), k < count else { continue }
                    sent.answered(k, signal: isSignal, at: now)
                    received += 1
                    if received >= expected { break }
                }
            }
            try? await driver.value
            try await outbound.close(.normalClosure, reason: nil)
        }
        let cpu = daemon.cpuNanoseconds() - cpuBefore, harness = Stopwatch.processCPUNanoseconds() - harnessBefore
        daemon.stop()
        await server.stop()
        return Result(rate: rate, sent: count, trades: Percentiles(sent.latencies(signals: false)),
                      signals: Percentiles(sent.latencies(signals: true)), daemonCPUPerTrade: cpu / UInt64(count),
                      harnessCPUPerTrade: harness / UInt64(count))
    }

    /// The daemon's configuration: one Binance feed from the local server, the strategy above,
    /// no model, and the log at `info` (its "API listening" line gives the port).
    static func configuration(folder: String, server: LocalExchangeServer) -> String {
        """
        log_level: info
        api: {host: 127.0.0.1, port: 0}
        storage: {data_dir: "\(folder)/data"}
        strategies: {dir: "\(folder)/strategies", plugins_dir: "\(folder)/strategies"}
        model: {path: "\(folder)/no-model.json"}
        feeds:
          - exchange: binance
            symbols: [BTC/USDT]
            options: {websocket_url: "\(server.webSocketURL)", rest_url: "\(server.restURL)", books: false, tickers: false}

        """
    }

    /// Writes `count` trade frames at `rate` a second, noting when each went out. Frames due
    /// by now go out at once; then the task sleeps on a timer of `timers` (its own loop) until
    /// the next one is due: one wake-up per frame at most, so the benchmark's own CPU stays small
    /// beside the daemon's on shared cores.
    private func drive(_ server: LocalExchangeServer, count: Int, base: Int64, sent: SentTimes, timers: any EventLoop) async throws {
        let symbol = CanonicalSymbol(base: "BTC", quote: "USDT")
        let interval = 1e9 / Double(rate)
        let start = DispatchTime.now().uptimeNanoseconds
        var k = 0
        while k < count {
            let due = Int(Double(DispatchTime.now().uptimeNanoseconds - start) / interval) + 1
            while k < min(due, count) {
                let price = (k / Self.tradesPerSignal) & 1 == 0 ? "101.5" : "98.5"
                let time = base + Int64(k)
                let frame = #"{"stream":"btcusdt@trade","data":{"e":"trade","E":\#(time),"s":"BTCUSDT","t":\#(k),"p":"\#(price)","q":"0.1","T":\#(time),"m":false,"M":true}}"#
                sent.set(k, DispatchTime.now().uptimeNanoseconds)
                await server.push([frame], channel: "trade", symbol: symbol)
                k += 1
            }
            try Task.checkCancellation()
            let next = NIODeadline.uptimeNanoseconds(start + UInt64(Double(k) * interval))
            try await timers.scheduleTask(deadline: next) {}.futureResult.get()
        }
    }

    /// The trade a frame answers (its `time` less `base`), and whether it is a signal (or the
    /// trade itself); nil for other frames. The frame's bytes are scanned, not parsed, so the
    /// client's own cost stays small beside the daemon's (the envelope is
    /// `{"type":…,"seq":…,…,"data":{…}}` and the first `"time":` is the record's).
    static func tradeIndex(_ text: inout String, base: Int64) -> (Int, Bool)? {
        text.withUTF8 { bytes -> (Int, Bool)? in
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
    private var trades: [UInt64] = []
    private var signals: [UInt64] = []
    private let lock = NSLock()

    init(count: Int) {
        written = Array(repeating: 0, count: count)
        trades.reserveCapacity(count)
    }

    func set(_ k: Int, _ value: UInt64) { lock.withLock { written[k] = value } }

    /// A frame answering trade `k` (its signal, or the trade itself) was read at `now`.
    func answered(_ k: Int, signal: Bool, at now: UInt64) {
        lock.withLock {
            guard written[k] > 0 else { return }
            if signal { signals.append(now &- written[k]) } else { trades.append(now &- written[k]) }
        }
    }

    func latencies(signals wanted: Bool) -> [UInt64] { lock.withLock { wanted ? signals : trades } }
}
