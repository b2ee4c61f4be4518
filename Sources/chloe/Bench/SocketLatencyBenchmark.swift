import Exchanges
import Foundation
import Host
import HummingbirdWSClient
import LocalExchange
import Logging

/// Socket to socket: a trade frame written by a local server speaking Binance's protocol, through
/// the whole daemon (Binance connector, pipeline, a Lua strategy on every tick, the broadcaster)
/// to the frame a client of `/realtime/ws` reads for it: the trade itself on the `ticks` channel,
/// and, every 50th trade, the signal it causes (which is committed to SQLite first), all on
/// loopback. The trade's time is `base + k`, so each frame's `time` says which trade it answers.
struct SocketLatencyBenchmark {
    struct Result {
        let rate: Int
        let sent: Int
        /// Trade frames read back, and nanoseconds from writing each to reading it.
        let trades: Percentiles
        /// Signal frames read (one is due every 50 trades), and nanoseconds from writing the trade.
        let signals: Percentiles
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

    func run() async throws -> Result {
        let server = LocalExchangeServer(exchange: .binance, configuration: .init(heartbeatInterval: nil))
        _ = try await server.start()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chloe-bench-\(UUID())")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("strategies"), withIntermediateDirectories: true)
        try Self.strategy.write(to: folder.appendingPathComponent("strategies/flip.lua"), atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: folder) }

        var configuration = ChloeConfiguration()
        configuration.api.port = 0
        configuration.storage.dataDir = folder.appendingPathComponent("data").path
        configuration.strategies.dir = folder.appendingPathComponent("strategies").path
        configuration.strategies.pluginsDir = folder.appendingPathComponent("strategies").path
        configuration.model.path = folder.appendingPathComponent("no-model.json").path
        configuration.feeds = [FeedSettings(exchange: .binance, symbols: ["BTC/USDT"], options: [
            "websocket_url": server.webSocketURL, "rest_url": server.restURL, "books": "false", "tickers": "false",
        ])]
        var logger = Logger(label: "chloe.bench")
        logger.logLevel = .error
        let quiet = logger

        let (ports, portInput) = AsyncStream.makeStream(of: Int.self)
        let daemon = Task {
            try await Daemon(configuration: configuration, logger: quiet).run(
                attach: { try await DaemonPipeline.attach($0, logger: quiet) }, onListening: { portInput.yield($0) })
        }
        defer { daemon.cancel() }
        var portIterator = ports.makeAsyncIterator()
        guard let port = await portIterator.next() else { throw BenchError(message: "the daemon did not start") }
        try await server.waitForMessages(timeout: .seconds(30)) { $0.contains { $0.contains("btcusdt@trade") } }

        let count = max(1, Int(Double(rate) * seconds))
        let base = Int64(Date.now.timeIntervalSince1970 * 1000)
        let sent = SentTimes(count: count)
        try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/realtime/ws", logger: quiet) { inbound, outbound, _ in
            try await outbound.write(.text(#"{"type": "subscribe", "channels": ["signals", "ticks"]}"#))
            let driver = Task { try await drive(server, count: count, base: base, sent: sent) }
            defer { driver.cancel() }
            // Signals still missing 10 s after the last frame are counted as lost: end the read.
            let stopper = Task {
                try await Task.sleep(for: .seconds(seconds + 10))
                try? await outbound.close(.goingAway, reason: "the benchmark's time is up")
            }
            defer { stopper.cancel() }
            let expected = count + count / Self.tradesPerSignal
            var received = 0
            for try await message in inbound.messages(maxSize: 1 << 20) {
                let now = DispatchTime.now().uptimeNanoseconds
                guard case .text(let text) = message, let (k, isSignal) = Self.tradeIndex(text, base: base), k < count else { continue }
                sent.answered(k, signal: isSignal, at: now)
                received += 1
                if received >= expected { break }
            }
            try? await driver.value
            try await outbound.close(.normalClosure, reason: nil)
        }
        daemon.cancel()
        _ = await daemon.result
        await server.stop()
        return Result(rate: rate, sent: count, trades: Percentiles(sent.latencies(signals: false)),
                      signals: Percentiles(sent.latencies(signals: true)))
    }

    /// Writes `count` trade frames at `rate` a second, noting when each went out. Frames due
    /// by now go out at once; between them the task sleeps (so it does not take a core).
    private func drive(_ server: LocalExchangeServer, count: Int, base: Int64, sent: SentTimes) async throws {
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
            try await Task.sleep(for: .microseconds(50))
        }
    }

    /// The trade a frame answers (its `time` less `base`), and whether it is a signal (or the
    /// trade itself); nil for other frames. The frame is scanned, not parsed, so the client's
    /// own cost stays small beside the daemon's (the envelope is `{"type":…,"seq":…,…,"data":{…}}`
    /// and the first `"time":` is the record's).
    static func tradeIndex(_ text: String, base: Int64) -> (Int, Bool)? {
        let isSignal = text.hasPrefix(#"{"type":"signal""#)
        guard isSignal || text.contains(#""kind":"trade""#), let key = text.range(of: #""time":"#),
              let time = Int64(text[key.upperBound...].prefix { $0.isNumber }) else { return nil }
        let k = time - base
        return k >= 0 ? (Int(k), isSignal) : nil
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
