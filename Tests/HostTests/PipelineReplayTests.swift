import Exchanges
import Foundation
import Indicators
import Testing
@testable import Host

/// Recorded data through the whole pipeline (simulated exchange -> router -> processors).
@Suite struct PipelineReplayTests {
    static let xrp = CanonicalSymbol(base: "XRP", quote: "ETH")

    /// Runs `source` through a pipeline building `intervals` and returns its closed candles per interval.
    static func candles(_ source: SimulatedSource, intervals: [CandleInterval]) async throws -> [CandleInterval: [Candle]] {
        let router = PipelineRouter(configuration: .init(intervals: intervals, shards: 2, publishTicks: false))
        defer { router.shutdown() }
        let records = router.hub.subscribe(channels: [.candles], capacity: .max)
        let pipeline = Pipeline(router: router, connectors: [SimulatedExchange(sources: [xrp: source], configuration: .init(speed: .asFastAsPossible))])
        try await pipeline.start(["XRP_ETH"], on: .sim)
        try await pipeline.run()
        var result: [CandleInterval: [Candle]] = [:]
        for record in records.drain() {
            if case .candle(_, _, let interval, let candle) = record { result[interval, default: []].append(candle) }
        }
        return result
    }

    @Test func candlesBuiltFromTheRecordedTradesEqualTheRecordedCandles() async throws {
        let expected = try CandleFile.read(path: Market.path("samples/candles/XRP_ETH-1m.csv"))
        let built = try await Self.candles(try ReplaySources.trades(path: Market.path("samples/trades/XRP_ETH-trades.csv")),
                                           intervals: [.oneMinute, .fiveMinutes])
        #expect(built[.oneMinute]?.count == 2469)
        #expect(built[.oneMinute] == expected)
        let fives = try #require(built[.fiveMinutes])
        #expect(fives.allSatisfy { $0.time % 300_000 == 0 })
        #expect(fives.first?.open == expected.first?.open)
        #expect(abs(fives.reduce(0) { $0 + $1.volume } - expected.reduce(0) { $0 + $1.volume }) < 1e-6)
    }

    @Test func aCandleReplayRebuildsItsCandlesExactly() async throws {
        let expected = try CandleFile.read(path: Market.path("samples/candles/ETH_BTC-5m.csv"))
        let built = try await Self.candles(try ReplaySources.candles(path: Market.path("samples/candles/ETH_BTC-5m.csv")),
                                           intervals: [.fiveMinutes, .oneHour])
        #expect(built[.fiveMinutes]?.count == expected.count)
        #expect(built[.fiveMinutes] == expected)
        #expect(built[.oneHour]?.count ?? 0 >= expected.count / 12)
    }

    @Test func aReplayIsDeterministicAndCountsWhatItPrinted() async throws {
        let source = try ReplaySources.candles(path: Market.path("samples/candles/XRP_ETH-1m.csv"))
        func run() async throws -> ([Signal], ReplaySummary) {
            let seen = Locked<[Signal]>([])
            let replay = Replay(sources: [Self.xrp: source], strategies: ThresholdStrategy(period: 10, band: 0.002),
                                model: LastCandleModel())
            let summary = try await replay.run { record in
                if case .signal(let signal) = record { seen.withLock { $0.append(signal) } }
            }
            return (seen.withLock { $0 }, summary)
        }
        let (a, summaryA) = try await run()
        let (b, _) = try await run()
        #expect(a.count > 20)
        #expect(UInt64(a.count) == summaryA.signals)
        #expect(summaryA.levels.values.reduce(0, +) == summaryA.signals)
        #expect(summaryA.events == 2469 * 8)
        #expect(summaryA.candles > 2469)
        #expect(summaryA.symbols == ["XRP/ETH"])
        func stable(_ s: Signal) -> Signal {
            var copy = s
            copy.latencyMicroseconds = 0
            return copy
        }
        #expect(a.map(stable) == b.map(stable))
        #expect(a.allSatisfy { $0.modelVersion == "last-candle-1" && $0.level != .unknown })
        #expect(zip(a, a.dropFirst()).allSatisfy { $0.time <= $1.time })
    }

    @Test func symbolsStartAndStopWhileThePipelineRuns() async throws {
        let router = PipelineRouter(configuration: .init(shards: 2, publishTicks: false))
        defer { router.shutdown() }
        let exchange = SimulatedExchange(configuration: .init(speed: .multiplied(100), exhausted: .idle,
                                                              randomWalk: RandomWalkParameters(seed: 9)))
        let pipeline = Pipeline(router: router, connectors: [exchange])
        let run = Task { try await pipeline.run() }
        #expect(try await pipeline.start(["BTCUSDT", "ETH/USDT"], on: .sim) == [Market.btc, Market.eth])
        try await Self.waitFor { router.state.snapshot(of: Market.eth)?.lastPrice != nil && router.state.snapshot(of: Market.btc)?.lastPrice != nil }
        #expect(await exchange.symbols() == [Market.btc, Market.eth])
        try await pipeline.stop(["BTC_USDT"], on: .sim)
        await router.drain()
        #expect(router.state.symbols == [Market.eth])
        #expect(await exchange.symbols() == [Market.eth])
        await #expect(throws: PipelineError.self) { try await pipeline.start(["BTCUSDT"], on: .binance) }
        await #expect(throws: SymbolNameError.self) { try await pipeline.start(["not a symbol"], on: .sim) }
        run.cancel()
        try await run.value
        #expect(router.statistics().events > 0)
    }

    @Test func tradeFilesAreReadExactlyAndBadRowsNamed() throws {
        let trades = try TradeFile.read(path: Market.path("samples/trades/XRP_ETH-trades.csv"))
        #expect(trades.count == 12_477)
        #expect(trades[0] == RecordedTrade(time: 1_570_752_011_620, id: "13519807", takerSide: .sell,
                                           price: ExactDecimal("0.00141342")!, size: ExactDecimal("23")!))
        let cases: [(String, String)] = [
            ("time,id,side,price\n", "header lacks column 'amount'"),
            ("time,id,side,price,amount\n1,a,buy,1,1\n2,b,hold,1,1\n", ":3:3: side 'hold' is not a taker side"),
            ("time,id,side,price,amount\n5,a,buy,1,1\n4,b,buy,1,1\n", ":3:1: time '4' is earlier than the row before"),
            ("time,id,side,price,amount\n1,a,buy,x,1\n", ":2:4: price 'x' is not a positive decimal price"),
            ("time,id,side,price,amount\n1,a,buy,1\n", ":2:5: expected 5 fields, found 4"),
            ("", "the file is empty"),
        ]
        for (text, message) in cases {
            #expect(throws: DataFileError.self) { try TradeFile.parse(Data(text.utf8), path: "t.csv") }
            do {
                _ = try TradeFile.parse(Data(text.utf8), path: "t.csv")
            } catch {
                #expect(error.description.contains(message), "\(error.description)")
            }
        }
        #expect(try TradeFile.parse(Data("side,amount,price,id,time\nsell,2,3,x,9\n".utf8), path: "t") == [
            RecordedTrade(time: 9, id: "x", takerSide: .sell, price: ExactDecimal("3")!, size: ExactDecimal("2")!),
        ])
    }

    static func waitFor(_ condition: () -> Bool) async throws {
        for _ in 0..<5000 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(2))
        }
        Issue.record("condition not met in 10 s")
    }
}
