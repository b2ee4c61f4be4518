import Exchanges
import Foundation
import Indicators
import Model
import Scripting
import Testing
@testable import Host

/// Signals and alerts as records: levels, `unknown` on a stale or out-of-sync feed, model
/// fields, latest state.
@Suite struct PipelineSignalTests {
    static func router(_ strategies: any StrategyStage, model: (any ModelStage)? = nil, threshold: Double = 0.5) -> PipelineRouter {
        PipelineRouter(configuration: .init(intervals: [.oneMinute], qualityThreshold: threshold, shards: 1,
                                            health: .init(staleAfterMilliseconds: 10_000)),
                       strategies: strategies, model: model)
    }

    @Test func aStaleFeedTurnsTheLevelUnknown() async throws {
        let router = Self.router(RecordingStrategies(trigger: "1m"))
        defer { router.shutdown() }
        let records = router.hub.subscribe(channels: [.signals], capacity: .max)
        router.start([Market.btc], exchange: .sim)
        router.receive(Market.trade(Market.btc, at: 1_000, price: "100"))
        router.receive(Market.trade(Market.btc, at: 61_000, price: "101"))  // closes 0:00 with a fresh feed
        router.timer(now: 61_000 + 300_000)  // closes 1:00 five minutes after the last event
        await router.drain()
        let signals = records.signals
        #expect(signals.map(\.level) == [.rated(.buy), .unknown])
        #expect(signals.map(\.trigger) == ["1m", "1m"])
        #expect(signals[0].feed.quality == 1)
        #expect(signals[1].feed.quality == 0)
        #expect(signals[1].feed.lastEventAgeMilliseconds == 300_000)
        #expect(signals[0].time == 61_000)
        #expect(signals[0].latencyMicroseconds >= 0 && signals[0].latencyMicroseconds < 5_000_000)
    }

    @Test func aBookOutOfSyncTurnsTheLevelUnknownUntilANewSnapshot() async throws {
        // A crossed book and a reconnect each halve the quality score: keep it above the
        // threshold so only the book's sync decides here.
        let router = Self.router(RecordingStrategies(trigger: "tick"), threshold: 0.2)
        defer { router.shutdown() }
        let records = router.hub.subscribe(channels: [.signals], capacity: .max)
        router.start([Market.btc], exchange: .sim)
        router.receive(Market.book(Market.btc, at: 1, snapshot: true, bids: [("99", "1")], asks: [("101", "1")]))
        router.receive(Market.trade(Market.btc, at: 2, price: "100"))
        router.receive(Market.book(Market.btc, at: 3, snapshot: false, bids: [("102", "1")], asks: []))  // crossed
        router.receive(Market.trade(Market.btc, at: 4, price: "100"))
        router.receive(Market.book(Market.btc, at: 5, snapshot: true, bids: [("99", "2")], asks: [("100.5", "3")]))
        router.receive(Market.trade(Market.btc, at: 6, price: "100"))
        router.receive(MarketEvent(exchange: .sim, symbol: nil, eventTime: nil, receiveTime: 7, payload: .disconnected(reason: "test")))
        router.receive(Market.trade(Market.btc, at: 8, price: "100"))
        router.timer(now: 9)
        await router.drain()
        let signals = records.signals
        #expect(signals.map(\.level) == [.rated(.buy), .unknown, .rated(.buy), .unknown])
        #expect(signals.map(\.feed.bookInSync) == [true, false, true, false])
        let latest = try #require(router.state.snapshot(of: Market.btc))
        #expect(latest.top == BookTop(bid: 99, bidSize: 2, ask: 100.5, askSize: 3))
        #expect(latest.feed.incidents == ["crossedBook": 1, "reconnect": 1])
        #expect(latest.feed.bookInSync == false)
    }

    @Test func whatOnlyTheConnectorSawLowersTheQualityAndShowsInTheIncidents() async throws {
        let router = Self.router(RecordingStrategies(trigger: "tick"))
        defer { router.shutdown() }
        let records = router.hub.subscribe(channels: [.signals], capacity: .max)
        router.start([Market.btc, Market.eth], exchange: .sim)
        router.receive(Market.trade(Market.btc, at: 1_000, price: "100"))
        router.receive(Market.trade(Market.eth, at: 1_000, price: "10"))
        // Two gaps and a checksum failure on BTC's connection (factor 1/4), none on ETH's.
        let troubled = ConnectorHealth(incidentFactor: 0.25, incidents: [.gap: 2, .checksumFailure: 1, .reconnect: 0])
        router.timer(now: 1_500, connectors: [.sim: [Market.btc: troubled, Market.eth: ConnectorHealth(incidentFactor: 1, incidents: [:])]])
        router.receive(Market.trade(Market.btc, at: 2_000, price: "100"))
        router.receive(Market.trade(Market.eth, at: 2_000, price: "10"))
        await router.drain()
        let signals = records.signals
        let btc = signals.filter { $0.symbol == "BTC/USDT" }, eth = signals.filter { $0.symbol == "ETH/USDT" }
        #expect(btc.map(\.level) == [.rated(.buy), .unknown])
        #expect(btc.last?.feed.quality == 0.25)
        #expect(eth.map(\.level) == [.rated(.buy), .rated(.buy)])
        let status = try #require(router.state.snapshot(of: Market.btc)).feed
        #expect(status.incidents == ["gap": 2, "checksumFailure": 1])
        #expect(status.quality == 0.25)
        #expect(try #require(router.state.snapshot(of: Market.eth)).feed.incidents.isEmpty)
    }

    @Test func signalsCarryTheModelAndTheLatestStateKeepsThemPerStrategy() async throws {
        let model = LastCandleModel(interval: .oneMinute, weak: 0.001, strong: 0.05)
        let router = Self.router(ThresholdStrategy(name: "t", trigger: .candle(.oneMinute), period: 1, band: 0), model: model)
        defer { router.shutdown() }
        let records = router.hub.subscribe(channels: [.signals, .alerts, .candles], capacity: .max)
        router.start([Market.btc], exchange: .sim)
        router.receive(Market.trade(Market.btc, at: 0, price: "100"))
        router.receive(Market.trade(Market.btc, at: 30_000, price: "102"))
        router.receive(Market.trade(Market.btc, at: 60_000, price: "103"))
        router.flush()
        await router.drain()
        var signals: [Signal] = [], alerts: [Alert] = [], candles: [Candle] = []
        for record in records.drain() {
            switch record {
            case .signal(let s): signals.append(s)
            case .alert(let a): alerts.append(a)
            case .candle(_, _, let interval, let c):
                #expect(interval == .oneMinute)
                candles.append(c)
            default: break
            }
        }
        #expect(candles == [Candle(time: 0, open: 100, high: 102, low: 100, close: 102, volume: 2), Candle(time: 60_000, open: 103, high: 103, low: 103, close: 103, volume: 1)])
        // SMA(1) equals the close: price == average, so neutral, once (later candles repeat the level).
        #expect(signals.count == 1)
        #expect(signals[0].level == .rated(.neutral))
        #expect(signals[0].modelVersion == "last-candle-1")
        #expect(signals[0].modelProbabilities?.count == 5)
        #expect(signals[0].strategy == "t" && signals[0].strategyHash == "builtin")
        #expect(signals[0].indicators["average"] == 102)
        #expect(alerts.isEmpty)
        let latest = try #require(router.state.snapshot(of: Market.btc))
        #expect(latest.signals["t"] == signals[0])
        #expect(latest.lastPrice == 103)
        #expect(latest.candles["1m"]?.close == 103)
        #expect(latest.rating?.level == .neutral)  // the last candle: 103 -> 103
        #expect(router.state.latestSignals(strategy: "t") == signals)
        #expect(router.state.latestSignals(strategy: "other").isEmpty)
    }

    /// The Lua runner hands back one reused outcome: a call that only fires an alert, or
    /// produces nothing, must not repeat the signals of the call before it.
    @Test func eachLuaCallReportsOnlyWhatItProduced() async throws {
        let library = StrategyLibrary(strategiesDirectory: nil, pluginsDirectory: nil)
        try library.upsert(name: "every", source: """
            return {
              timeframe = "1m",
              on_candle = function(ctx) return "buy", "close " .. string.format("%.1f", ctx.candle.close), 0.5 end,
              alerts = { spike = { when = function(ctx) return ctx.price > 150, "spike" end, cooldown = 0 } },
            }
            """)
        let router = Self.router(LuaStrategyStage(library: library))
        defer { router.shutdown() }
        let records = router.hub.subscribe(channels: [.signals, .alerts], capacity: .max)
        router.start([Market.btc], exchange: .sim)
        router.receive(Market.trade(Market.btc, at: 1_000, price: "100"))
        router.receive(Market.trade(Market.btc, at: 61_000, price: "101"))   // closes 0:00: a signal
        router.receive(Market.trade(Market.btc, at: 62_000, price: "200"))   // a tick: the alert only
        router.receive(Market.trade(Market.btc, at: 63_000, price: "100.5")) // a tick: nothing
        router.receive(Market.trade(Market.btc, at: 121_000, price: "102"))  // closes 1:00: a signal
        await router.drain()
        var signals: [Signal] = [], alerts: [Alert] = []
        for record in records.drain() {
            switch record {
            case .signal(let s): signals.append(s)
            case .alert(let a): alerts.append(a)
            default: break
            }
        }
        #expect(signals.map(\.time) == [61_000, 121_000])
        #expect(signals.map(\.reason) == ["close 100.0", "close 100.5"])
        #expect(signals.allSatisfy { $0.strategy == "every" && $0.level == .rated(.buy) && $0.confidence == 0.5 })
        #expect(alerts.map(\.time) == [62_000])
        #expect(alerts.map(\.message) == ["spike"])
    }

    @Test func thresholdStrategyFiresAnAlertWhenPriceLeavesTheBand() async throws {
        let router = Self.router(ThresholdStrategy(name: "band", trigger: .tick, period: 3, band: 0.01))
        defer { router.shutdown() }
        let records = router.hub.subscribe(channels: [.signals, .alerts], capacity: .max)
        router.start([Market.btc], exchange: .sim)
        for (k, price) in ["100", "100", "100", "100", "110", "110", "90"].enumerated() {
            router.receive(Market.trade(Market.btc, at: Int64(k) * 1000, price: price))
        }
        await router.drain()
        let all = records.drain()
        let levels = all.compactMap { if case .signal(let s) = $0 { s.level.name } else { nil } }
        let alerts = all.compactMap { if case .alert(let a) = $0 { a.name } else { nil } }
        #expect(levels == ["neutral", "buy", "sell"])
        #expect(alerts == ["above_band", "below_band"])
    }
}
