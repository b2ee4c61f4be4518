import Foundation
import Indicators
import Scripting
import Synchronization

/// Times the strategy runtime: ns per `on_candle` / `on_tick` call through ``SymbolStrategies``
/// (ctx writes, one protected call, result reads), the cost of the instruction hook and the
/// memory cap, and a reload of one strategy across many symbols.
struct StrategyBenchmark {
    let candles: [Candle]
    let rounds: Int
    let strategies: URL
    let plugins: URL

    struct Row {
        let name: String
        let candleNanoseconds: Double?
        /// ns per `on_candle` with many symbols taking turns (``inTurn(library:name:timeframe:symbols:)``).
        let inTurnNanoseconds: Double?
        let tickNanoseconds: Double?
        let signals: Int
    }

    /// A typical `on_tick` reading eight indicator values, as the goal describes it.
    static let eightReads = """
    return {
      indicators = { rsi = ind.rsi(14), macd = ind.macd(12, 26, 9), bb = ind.bbands(20, 2), atr = ind.atr(14), ema = ind.ema(50) },
      on_tick = function(ctx)
        local i = ctx.ind
        local m, b = i.macd, i.bb
        if m.hist == nil then return nil end
        local score = i.rsi + m.value + m.signal + m.hist + b.upper + b.lower + i.atr + i.ema
        if ctx.price > b.upper and i.rsi > 70 and score > 0 then return "sell", "stretched" end
        return nil
      end,
    }
    """

    /// Allocates a little garbage per call, to show the allocator's accounting.
    static let allocating = """
    return {
      on_tick = function(ctx)
        local t = { ctx.price, ctx.now, tostring(ctx.now) }
        if #t > 5 then return "buy", "never" end
        return nil
      end,
    }
    """

    /// Every example strategy: on_candle over the series (one symbol, and `symbols` symbols in
    /// turn), on_tick where defined.
    func examples(symbols: Int) throws -> [Row] {
        let files = try FileManager.default.contentsOfDirectory(atPath: strategies.path).filter { $0.hasSuffix(".lua") }.sorted()
        var rows: [Row] = []
        for file in files {
            let name = String(file.dropLast(4))
            let source = try String(contentsOf: strategies.appendingPathComponent(file), encoding: .utf8)
            rows.append(try measure(name: name, source: source, symbols: symbols))
        }
        rows.append(try measure(name: "eight_indicator_reads (on_tick)", source: Self.eightReads, symbols: symbols))
        return rows
    }

    func measure(name: String, source: String, symbols: Int, configuration: StrategyRuntimeConfiguration = .init()) throws -> Row {
        let library = StrategyLibrary(strategiesDirectory: nil, pluginsDirectory: plugins, configuration: configuration)
        let version = try library.upsert(name: name.filter { $0.isLetter || $0.isNumber || $0 == "_" }, source: source)
        var signals = 0
        let candleTime: Double? = version.manifest.hasOnCandle || !version.manifest.alerts.isEmpty ? try Stopwatch.best(rounds: rounds) {
            let runner = SymbolStrategies(library: library, view: MarketView(symbol: "BENCH/USDT", exchange: "bench"))
            signals = 0
            for candle in candles {
                let output = runner.onCandle(timeframe: version.manifest.timeframe, candle: candle)
                signals += output.signals.count
                if let fault = output.faults.first { throw BenchError(message: "\(name): \(fault)") }
            }
        } / Double(candles.count) : nil
        let inTurn = candleTime == nil ? nil : try inTurn(library: library, name: version.name, timeframe: version.manifest.timeframe,
                                                          symbols: symbols)
        let tickTime: Double? = version.manifest.hasOnTick ? try tickNanoseconds(library: library, timeframe: version.manifest.timeframe) : nil
        return Row(name: name, candleNanoseconds: candleTime, inTurnNanoseconds: inTurn, tickNanoseconds: tickTime, signals: signals)
    }

    /// ns per `on_candle` when `symbols` symbols take turns, one closed candle each, as a daemon
    /// with many symbols calls them: each call finds its symbol's Lua state and indicators where
    /// the other symbols' calls left the caches, where the one-symbol figure finds them warm.
    /// Every symbol is warmed with 50 candles first (not timed); a round is up to 20,000 calls.
    func inTurn(library: StrategyLibrary, name: String, timeframe: String, symbols: Int) throws -> Double {
        let symbols = max(1, symbols)
        let runners = (0..<symbols).map { SymbolStrategies(library: library, view: MarketView(symbol: "S\($0)/USDT", exchange: "bench")) }
        let warm = min(50, candles.count / 2)
        for runner in runners {
            for candle in candles.prefix(warm) { _ = runner.onCandle(timeframe: timeframe, candle: candle) }
        }
        let rounds = max(1, rounds)
        let perRound = max(1, min((candles.count - warm) / rounds, 20_000 / symbols))
        var best = Double.infinity
        for round in 0..<rounds {
            let slice = candles[(warm + round * perRound)..<min(candles.count, warm + (round + 1) * perRound)]
            let start = DispatchTime.now().uptimeNanoseconds
            for candle in slice {
                for runner in runners {
                    let output = runner.onCandle(timeframe: timeframe, candle: candle)
                    if let fault = output.faults.first { throw BenchError(message: "\(name): \(fault)") }
                }
            }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
            best = min(best, elapsed / Double(max(1, slice.count * symbols)))
        }
        return best
    }

    /// Warms the indicators on the series, then times `onTick` over price changes.
    func tickNanoseconds(library: StrategyLibrary, timeframe: String) throws -> Double {
        let view = MarketView(symbol: "BENCH/USDT", exchange: "bench")
        let runner = SymbolStrategies(library: library, view: view)
        for candle in candles.prefix(200) { _ = runner.onCandle(timeframe: timeframe, candle: candle) }
        let ticks = candles.count
        let base = view.lastPrice
        let best = try Stopwatch.best(rounds: rounds) {
            for index in 0..<ticks {
                view.lastPrice = base * (1 + Double(index % 97) * 1e-5)
                view.now += 100
                let output = runner.onTick()
                if let fault = output.faults.first { throw BenchError(message: "\(fault)") }
            }
        }
        return best / Double(ticks)
    }

    /// ns per tick with the instruction hook armed by the watchdog (the default), on every
    /// instruction, and not at all; with the memory cap at its default and effectively off;
    /// for the eight-read strategy and an allocating one.
    func limits() throws -> [(String, Double)] {
        var rows: [(String, Double)] = []
        for (label, source) in [("eight reads", Self.eightReads), ("allocating", Self.allocating)] {
            for (setting, limits) in [
                ("budget 1M after time slice, cap 16 MiB (default)", LuaLimits(instructionBudget: 1_000_000, memoryLimit: 16 << 20)),
                ("budget 1M every instruction, cap 16 MiB", LuaLimits(instructionBudget: 1_000_000, memoryLimit: 16 << 20,
                                                                       metering: .everyInstruction)),
                ("no budget (no hook), cap 16 MiB", LuaLimits(instructionBudget: nil, memoryLimit: 16 << 20)),
                ("budget 1M after time slice, cap 1 TiB (never reached)", LuaLimits(instructionBudget: 1_000_000, memoryLimit: 1 << 40)),
                ("budget 1M every instruction, check every 100", LuaLimits(instructionBudget: 1_000_000, memoryLimit: 16 << 20,
                                                                           checkInterval: 100, metering: .everyInstruction)),
            ] {
                let library = StrategyLibrary(strategiesDirectory: nil, pluginsDirectory: plugins,
                                              configuration: StrategyRuntimeConfiguration(limits: limits))
                try library.upsert(name: "limits", source: source)
                rows.append(("\(label): \(setting)", try tickNanoseconds(library: library, timeframe: "1m")))
            }
        }
        return rows
    }

    /// Milliseconds for `symbols` symbols to pick up a new version of one strategy (fresh state,
    /// plugins, setup, state copy, swap, the old state dropped) with 100 candles of history:
    /// wall time and the thread's CPU time (which a shared machine inflates less), best of up to
    /// three rounds each. The new version either declares the same indicator as the old one (its
    /// state is carried over) or, with `changingIndicators`, a different RSI period (replayed
    /// from the history).
    func reload(symbols: Int, changingIndicators: Bool, threads: Int = 1) throws -> (milliseconds: Double, cpuMilliseconds: Double, bytesPerState: Int) {
        let source = try String(contentsOf: strategies.appendingPathComponent("rsi_reversion.lua"), encoding: .utf8)
        guard source.contains("period = 14,") else { throw BenchError(message: "rsi_reversion.lua no longer declares period = 14") }
        let library = StrategyLibrary(strategiesDirectory: nil, pluginsDirectory: plugins)
        try library.upsert(name: "rsi_reversion", source: source)
        let runners = (0..<symbols).map { SymbolStrategies(library: library, view: MarketView(symbol: "S\($0)/USDT", exchange: "bench")) }
        for runner in runners {
            for candle in candles.prefix(100) { _ = runner.onCandle(timeframe: "1m", candle: candle) }
        }
        var best = Double.infinity
        var bestCPU = Double.infinity
        for round in 0..<max(1, min(rounds, 3)) {
            let edited = changingIndicators ? source.replacingOccurrences(of: "period = 14,", with: "period = \(15 + round),") : source
            try library.upsert(name: "rsi_reversion", source: edited + "\n-- edit \(round)\n")
            let start = DispatchTime.now().uptimeNanoseconds
            let cpu = Self.synchronize(runners, threads: max(1, threads))
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            bestCPU = min(bestCPU, Double(cpu) / 1e6)
            guard runners.allSatisfy({ $0.version(of: "rsi_reversion") == round + 2 }) else {
                throw BenchError(message: "reload did not reach every symbol")
            }
        }
        return (best, bestCPU, runners.reduce(0) { $0 + $1.memoryInUse } / symbols)
    }

    /// Synchronizes `runners` split into `threads` groups, each on its own thread at once (as the
    /// daemon's shard threads pick a new version up between their symbols' events); returns the
    /// CPU time all the threads spent.
    private static func synchronize(_ runners: [SymbolStrategies], threads: Int) -> UInt64 {
        guard threads > 1 else {
            let start = threadCPUNanoseconds()
            for runner in runners { runner.synchronize() }
            return threadCPUNanoseconds() - start
        }
        nonisolated(unsafe) let groups = (0..<threads).map { t in stride(from: t, to: runners.count, by: threads).map { runners[$0] } }
        let spent = Mutex<UInt64>(0)
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            let start = threadCPUNanoseconds()
            for runner in groups[t] { runner.synchronize() }
            let cpu = threadCPUNanoseconds() - start
            spent.withLock { $0 += cpu }
        }
        return spent.withLock { $0 }
    }

    /// CPU time of the calling thread.
    static func threadCPUNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
