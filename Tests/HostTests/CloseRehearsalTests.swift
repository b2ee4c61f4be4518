import Exchanges
import Foundation
import Indicators
import Scripting
import Testing
@testable import Host

/// The shards' close rehearsal: when it runs, that it closes a candle through the strategies
/// and the model, and that nothing of it reaches users or changes a real symbol's records.
@Suite struct CloseRehearsalTests {
    static let rehearsal = CloseRehearsalSettings(lead: .seconds(1), spacing: .zero)

    /// Events within a second of a boundary rehearse a close (on the thread that processed the
    /// event, before the shard is released); events further off, and the event past the
    /// boundary, do not. The rehearsal's strategy call and signal go nowhere users look.
    @Test func eventsWithinTheLeadOfABoundaryRehearseAndNothingIsPublished() async throws {
        let strategies = RecordingStrategies(trigger: "1m")
        let router = PipelineRouter(configuration: .init(intervals: [.oneMinute, .fiveMinutes], shards: 1, callerRunsAfterIdle: .zero,
                                                         closeRehearsal: Self.rehearsal),
                                    strategies: strategies)
        defer { router.shutdown() }
        let records = router.hub.subscribe(channels: Set(OutputChannel.allCases), capacity: .max)
        router.start([Market.btc], exchange: .sim)
        await router.drain()
        // boundaries at 60 s and 120 s: rehearsals after 59 s and 59.5 s, then after 119.2 s
        let times: [Int64] = [10_000, 58_500, 59_000, 59_500, 60_500, 70_000, 119_200]
        let producer = PipelineRouterTests.tradeWhenIdle(router, Market.btc, times: times)
        await router.drain()
        let statistics = router.statistics()
        #expect(statistics.inlineEvents == UInt64(times.count))  // each event on its producer, rehearsals with it
        #expect(statistics.rehearsals == 3)
        #expect(statistics.rehearsalNanoseconds > 0)
        #expect(statistics.candles == 1)  // BTC's 0:00 candle; the rehearsal's are its own
        #expect(statistics.signals == 1)
        let calls = strategies.calls
        let rehearsed = calls.filter { $0.symbol == CloseRehearsal.symbol }
        // three scratch trades a minute apart: the first opens a candle, the next two close one each
        #expect(rehearsed.count == 2)
        #expect(rehearsed.allSatisfy { $0.thread == producer })
        #expect(calls.filter { $0.symbol == Market.btc }.map(\.time) == [60_500])
        let published = records.drain()
        #expect(published.allSatisfy { "\($0)".contains("REHEARSAL") == false })
        #expect(published.compactMap { if case .signal(let s) = $0 { s.symbol } else { nil } } == ["BTC/USDT"])
        #expect(router.state.count == 1)
        #expect(router.state.snapshot(of: CloseRehearsal.symbol) == nil)
    }

    /// A feed too sparse to have an event in the last second before a boundary still gets a
    /// rehearsal from the once-a-second timer that falls in it (on the shard's thread).
    @Test func aTimerWithinTheLeadRehearsesToo() async throws {
        let strategies = RecordingStrategies(trigger: "1m")
        let router = PipelineRouter(configuration: .init(shards: 1, callerRunsAfterIdle: nil, closeRehearsal: Self.rehearsal),
                                    strategies: strategies)
        defer { router.shutdown() }
        router.start([Market.btc], exchange: .sim)
        router.receive(Market.trade(Market.btc, at: 45_000, price: "100"))
        for now: Int64 in [57_300, 58_300] { router.timer(now: now) }
        await router.drain()
        await router.drain()  // the first barrier may share the timers' batch, whose rehearsal comes after it
        #expect(router.statistics().rehearsals == 0)
        router.timer(now: 59_300)
        await router.drain()
        await router.drain()
        #expect(router.statistics().rehearsals == 1)
    }

    /// Without the setting (replays, tests) nothing is rehearsed.
    @Test func offMeansNoRehearsal() async throws {
        let strategies = RecordingStrategies(trigger: "1m")
        let router = PipelineRouter(configuration: .init(shards: 1, callerRunsAfterIdle: nil), strategies: strategies)
        defer { router.shutdown() }
        router.start([Market.btc], exchange: .sim)
        for time in stride(from: Int64(0), through: 600_000, by: 500) { router.receive(Market.trade(Market.btc, at: time, price: "100")) }
        await router.drain()
        #expect(router.statistics().rehearsals == 0)
        #expect(strategies.calls.allSatisfy { $0.symbol == Market.btc })
    }

    /// The shard's thread rehearses after a batch too (events queued for it, not run by their
    /// producer), and a rehearsal never changes what a real symbol's strategies see or say: the
    /// signals of a Lua strategy over two hours are the same with and without rehearsals.
    @Test func rehearsalsLeaveRealSignalsUnchanged() async throws {
        func run(_ rehearsal: CloseRehearsalSettings?) async throws -> (signals: [String], rehearsals: UInt64) {
            let library = StrategyLibrary(strategiesDirectory: nil, pluginsDirectory: URL(fileURLWithPath: Market.path("plugins")))
            try library.upsert(name: "reversion", source: try String(contentsOfFile: Market.path("strategies/rsi_reversion.lua"), encoding: .utf8))
            let router = PipelineRouter(configuration: .init(intervals: [.oneMinute], shards: 2, callerRunsAfterIdle: nil,
                                                             closeRehearsal: rehearsal),
                                        strategies: LuaStrategyStage(library: library))
            defer { router.shutdown() }
            let records = router.hub.subscribe(channels: [.signals, .alerts], capacity: .max)
            router.start([Market.btc, Market.eth], exchange: .sim)
            for second in 0..<7200 {
                // up for fifteen minutes, down for fifteen, so RSI reaches both extremes
                let price = 100 + Double((second / 900) % 2 == 0 ? second % 900 : 900 - second % 900) / 10
                for symbol in [Market.btc, Market.eth] {
                    router.receive(Market.trade(symbol, at: Int64(second) * 1000, price: String(format: "%.1f", price)))
                }
                // let the shards catch up: some batches end within a second of a boundary, some not
                if second % 60 == 59 || second % 25 == 0 { await router.drain() }
            }
            await router.drain()
            let lines = records.drain().map { record -> String in
                switch record {
                case .signal(let s): "\(s.symbol) \(s.time) \(s.level.name) \(s.reason) \(s.confidence) \(s.indicators)"
                case .alert(let a): "\(a.symbol) \(a.time) \(a.name) \(a.message)"
                default: ""
                }
            }
            return (lines.sorted(), router.statistics().rehearsals)
        }
        let plain = try await run(nil)
        let rehearsed = try await run(Self.rehearsal)
        #expect(plain.signals.count >= 4)
        #expect(rehearsed.signals == plain.signals)
        #expect(plain.rehearsals == 0)
        #expect(rehearsed.rehearsals >= 10)
    }

    /// The Lua stage's rehearsal strategy signals on every close of the smallest interval,
    /// through an indicator, `string.format` and a risk rule, and is never listed or reported.
    @Test func theLuaRehearsalStrategySignalsOnEveryCloseAndStaysHidden() throws {
        let library = StrategyLibrary(strategiesDirectory: nil, pluginsDirectory: nil)
        let stage = LuaStrategyStage(library: library)
        let intervals: [CandleInterval] = [.fiveMinutes, .oneMinute]
        let runner = try #require(stage.makeRehearsalStrategies(symbol: CloseRehearsal.symbol, exchange: .sim, intervals: intervals))
        let view = SymbolView(symbol: CloseRehearsal.symbol, exchange: .sim, configuration: .init(intervals: intervals))
        for k in 0..<20 {
            let price = k % 2 == 0 ? 100.0 : 100.5
            let candle = Candle(time: Int64(k) * 60_000, open: price, high: price, low: price, close: price, volume: 1)
            view.eventTime = candle.time + 60_000
            view.lastPrice = price
            let outcome = runner.onCandle(candle, interval: .oneMinute, timeframe: "1m", market: view)
            #expect(outcome.errors.isEmpty)
            let signal = try #require(outcome.signals.first)
            #expect(signal.strategy == RehearsalScript.name)
            #expect(signal.reason.hasPrefix("rehearsal at RSI "))
            #expect(runner.onCandle(candle, interval: .fiveMinutes, timeframe: "5m", market: view).signals.isEmpty)
        }
        #expect(library.names.isEmpty)
        #expect(stage.registry.symbols(of: RehearsalScript.name).isEmpty)
    }
}
