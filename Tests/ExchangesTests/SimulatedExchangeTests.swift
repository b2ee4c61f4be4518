import Foundation
import Testing
@testable import Exchanges

/// The `sim` connector: determinism, candle and trade replays, pacing, run-time subscriptions.
@Suite struct SimulatedExchangeTests {
    static let xrp = CanonicalSymbol(base: "XRP", quote: "ETH")
    static let btc = CanonicalSymbol(base: "BTC", quote: "USDT")
    static let eth = CanonicalSymbol(base: "ETH", quote: "USDT")

    static let candles = [
        RecordedCandle(time: 60_000, open: 10, high: 12, low: 9.5, close: 11, volume: 0.3),
        RecordedCandle(time: 120_000, open: 11, high: 11.25, low: 8, close: 8.5, volume: 1482),
        RecordedCandle(time: 240_000, open: 0.00141266, high: 0.00141266, low: 0.00141192, close: 0.00141192, volume: 0.1),
    ]

    @Test func candleReplayTradesReproduceEveryCandleExactly() async throws {
        let events = try await Self.play([Self.xrp: .candles(Self.candles, intervalMilliseconds: 60_000)], [Self.xrp])
        let trades = events.compactMap { event -> (Int64, Trade)? in
            guard case .trade(let trade) = event.payload else { return nil }
            return (event.eventTime!, trade)
        }
        #expect(trades.count == 12)
        #expect(events.filter { if case .ticker = $0.payload { true } else { false } }.count == 12)
        for (k, candle) in Self.candles.enumerated() {
            let group = trades[(4 * k)..<(4 * k + 4)]
            #expect(group.map(\.0) == [candle.time, candle.time + 15_000, candle.time + 30_000, candle.time + 45_000])
            let prices = group.map(\.1.price.doubleValue)
            #expect(prices.first == candle.open)
            #expect(prices.last == candle.close)
            #expect(prices.max() == candle.high)
            #expect(prices.min() == candle.low)
            #expect(group.reduce(0.0) { $0 + $1.1.size.doubleValue } == candle.volume)  // summed in order, exactly
        }
        // The extreme nearer the open comes first.
        #expect(trades[1].1.price.doubleValue == 9.5)
        #expect(trades[5].1.price.doubleValue == 11.25)
    }

    @Test func tradeReplayKeepsEveryTradeInOrderWithATicker() async throws {
        let recorded = [
            RecordedTrade(time: 1000, id: "1", takerSide: .sell, price: ExactDecimal("0.00141342")!, size: ExactDecimal("23")!),
            RecordedTrade(time: 1000, id: "2", takerSide: .buy, price: ExactDecimal("0.00141266")!, size: ExactDecimal("54")!),
            RecordedTrade(time: 7000, id: "3", takerSide: .sell, price: ExactDecimal("0.0014")!, size: ExactDecimal("8")!),
        ]
        let events = try await Self.play([Self.xrp: .trades(recorded)], [Self.xrp])
        let trades = events.compactMap { if case .trade(let t) = $0.payload { t } else { nil } }
        #expect(trades.map(\.id) == ["1", "2", "3"])
        #expect(trades.map(\.takerSide) == [.sell, .buy, .sell])
        #expect(trades[0].price == ExactDecimal("0.00141342"))
        let tickers = events.compactMap { if case .ticker(let t) = $0.payload { t.last } else { nil } }
        #expect(tickers == recorded.map(\.price))
        #expect(events.allSatisfy { $0.eventTime == $0.receiveTime && $0.symbol == Self.xrp })
    }

    @Test func randomWalkIsDeterministicForASeedAndDiffersBetweenSeedsAndSymbols() async throws {
        func walk(_ seed: UInt64, _ symbols: [CanonicalSymbol]) async throws -> [MarketEvent] {
            let exchange = SimulatedExchange(configuration: .init(speed: .asFastAsPossible,
                                                                  randomWalk: RandomWalkParameters(seed: seed, startTime: 1_700_000_000_000)))
            return try await Self.collect(exchange, symbols, limit: 3000)
        }
        let a = try await walk(7, [Self.btc, Self.eth])
        let b = try await walk(7, [Self.btc, Self.eth])
        let c = try await walk(8, [Self.btc, Self.eth])
        #expect(a.count == 3000)
        #expect(a == b)
        #expect(a != c)
        let btc = a.filter { $0.symbol == Self.btc }.map(\.payload)
        let eth = a.filter { $0.symbol == Self.eth }.map(\.payload)
        #expect(btc.count > 1000 && eth.count > 1000)
        #expect(Array(btc.prefix(100)) != Array(eth.prefix(100)))
        // Merged in time order.
        #expect(zip(a, a.dropFirst()).allSatisfy { $0.receiveTime <= $1.receiveTime })
    }

    @Test func randomWalkBookStaysConsistentWithItsTicker() async throws {
        let exchange = SimulatedExchange(configuration: .init(speed: .asFastAsPossible, randomWalk: RandomWalkParameters(seed: 3, startTime: 0)))
        let events = try await Self.collect(exchange, [Self.btc], limit: 5000)
        var book = OrderBook()
        var snapshots = 0, deltas = 0, trades = 0, sequence: UInt64 = 0
        for event in events {
            switch event.payload {
            case .bookSnapshot(let update):
                snapshots += 1
                book.replace(with: update)
            case .bookDelta(let update):
                deltas += 1
                #expect(event.sequence == sequence + 1)
                book.apply(update)
            case .ticker(let ticker):
                #expect(ticker.bid == book.bestBid?.price)
                #expect(ticker.ask == book.bestAsk?.price)
                #expect(ticker.bidSize == book.bestBid?.size)
            case .trade(let trade):
                trades += 1
                #expect(trade.price == (trade.takerSide == .buy ? book.bestAsk?.price : book.bestBid?.price))
            default: break
            }
            if let s = event.sequence { sequence = s }
            #expect(!book.isCrossed)
            if !book.isEmpty {
                #expect(book.bids.count == 10 && book.asks.count == 10)
            }
        }
        #expect(snapshots == 1)
        #expect(deltas > 1000)
        #expect(trades > 500)
    }

    @Test func pacingFollowsTheSpeed() async throws {
        let source = SimulatedSource.candles(Self.candles, intervalMilliseconds: 60_000)
        for (speed, divisor) in [(SimulatedSpeed.realTime, 1.0), (.multiplied(60), 60.0)] {
            let clock = TestClock()
            let exchange = SimulatedExchange(sources: [Self.xrp: source], configuration: .init(speed: speed), clock: clock)
            let events = try await Self.collect(exchange, [Self.xrp], limit: nil)
            #expect(events.count == 24)
            // Every event waits until (its time - the first time) / speed after the start.
            let expected = Set(events.map { UInt64(Double($0.receiveTime - 60_000) * 1_000_000 / divisor) }.filter { $0 > 0 })
            #expect(Set(clock.deadlines) == expected, "\(speed)")
            #expect(clock.deadlines.max() == UInt64(Double(240_000 + 45_000 - 60_000) * 1_000_000 / divisor))
        }
        let clock = TestClock()
        let fast = SimulatedExchange(sources: [Self.xrp: source], configuration: .init(speed: .asFastAsPossible), clock: clock)
        _ = try await Self.collect(fast, [Self.xrp], limit: nil)
        #expect(clock.deadlines.isEmpty)
        #expect(SimulatedSpeed("10x") == .multiplied(10))
        #expect(SimulatedSpeed("max") == .asFastAsPossible)
        #expect(SimulatedSpeed("realtime") == .realTime)
        #expect(SimulatedSpeed("-3") == nil)
    }

    @Test func symbolsStartAndStopWhileRunning() async throws {
        let exchange = SimulatedExchange(configuration: .init(speed: .asFastAsPossible, exhausted: .idle,
                                                              randomWalk: RandomWalkParameters(seed: 1, startTime: 0)))
        let sink = CollectingSink()
        let task = Task { try await exchange.run(sink: sink) }
        try await exchange.subscribe([Self.btc])
        try await sink.waitFor { $0.contains { $0.symbol == Self.btc } }
        try await exchange.subscribe([Self.eth])
        try await sink.waitFor { $0.contains { $0.symbol == Self.eth } }
        #expect(await exchange.symbols() == [Self.btc, Self.eth])
        await exchange.unsubscribe([Self.btc])
        let mark = sink.events.count
        try await sink.waitFor { $0.count > mark + 2000 }
        // The run loop and the unsubscribe share the actor: once it returned, no BTC event follows.
        let after = sink.events.dropFirst(mark)
        #expect(!after.contains { $0.symbol == Self.btc })
        #expect(await exchange.symbols() == [Self.eth])
        let health = await exchange.health()
        #expect(health[Self.eth]?.messages ?? 0 > 0)
        #expect(health[Self.btc] == nil)
        task.cancel()
        _ = try await task.value
        #expect(sink.events.contains { if case .subscribed(let s) = $0.payload { s.symbols == [Self.eth] } else { false } })
        #expect(sink.events.first.map { if case .connected = $0.payload { true } else { false } } == true)
    }

    @Test func unknownSymbolsAreRefusedWithTheKnownOnes() async throws {
        let exchange = SimulatedExchange(sources: [Self.xrp: .trades([])])
        await #expect(throws: SimulatedExchangeError.self) { try await exchange.subscribe([Self.btc]) }
        do {
            try await exchange.subscribe([Self.btc])
        } catch {
            #expect("\(error)".contains("no data for BTC/USDT"))
            #expect("\(error)".contains("XRP/ETH"))
        }
    }

    @Test func aLoopingReplayShiftsByWholeDays() async throws {
        let exchange = SimulatedExchange(sources: [Self.xrp: .candles(Self.candles, intervalMilliseconds: 60_000)],
                                         configuration: .init(speed: .asFastAsPossible, exhausted: .loop))
        let events = try await Self.collect(exchange, [Self.xrp], limit: 60)
        let times = events.filter { if case .trade = $0.payload { true } else { false } }.map(\.receiveTime)
        #expect(times.count == 30)
        #expect(times[12] == 60_000 + 86_400_000)
        #expect(times[24] == 60_000 + 2 * 86_400_000)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func aPacedLoopSkipsTheDeadTimeBeforeItsNextPass() async throws {
        let source = SimulatedSource.candles(Self.candles, intervalMilliseconds: 60_000)
        /// The longest wait between two events, in clock ns.
        func longestWait(skipping gap: Int64?) async throws -> UInt64 {
            let clock = TestClock()
            let exchange = SimulatedExchange(sources: [Self.xrp: source],
                                             configuration: .init(speed: .multiplied(60), exhausted: .loop, skipGapsLongerThan: gap),
                                             clock: clock)
            let events = try await Self.collect(exchange, [Self.xrp], limit: 60)  // two and a half passes
            #expect(events.last?.receiveTime ?? 0 > 86_400_000, "the second pass is a day later in simulated time")
            let deadlines = clock.deadlines
            return zip(deadlines, deadlines.dropFirst()).map { $1 - $0 }.max() ?? 0
        }
        // Inside a pass the longest wait is the 75 s hole between two candles (1.25 s at 60x).
        // Without skipping, the next pass waits for the day to go by (24 minutes at 60x);
        // skipping the 10-minute-plus holes, it follows at once.
        #expect(try await longestWait(skipping: nil) > 1_000_000_000_000)
        #expect(try await longestWait(skipping: 600_000) == 1_250_000_000)
    }

    // MARK: - Support

    /// Plays `sources` to their end (exhausted = finish) and returns the market events.
    static func play(_ sources: [CanonicalSymbol: SimulatedSource], _ symbols: [CanonicalSymbol]) async throws -> [MarketEvent] {
        try await collect(SimulatedExchange(sources: sources, configuration: .init(speed: .asFastAsPossible)), symbols, limit: nil)
    }

    /// Runs `exchange` until it finishes or `limit` market events (with a symbol) arrived.
    static func collect(_ exchange: SimulatedExchange, _ symbols: [CanonicalSymbol], limit: Int?) async throws -> [MarketEvent] {
        try await exchange.subscribe(symbols)
        let sink = CollectingSink()
        let task = Task { try await exchange.run(sink: sink) }
        if let limit {
            try await sink.waitFor { $0.filter { $0.symbol != nil }.count >= limit }
            task.cancel()
        }
        try await task.value
        let market = sink.events.filter { $0.symbol != nil }
        return limit.map { Array(market.prefix($0)) } ?? market
    }
}

/// Collects events from any thread.
final class CollectingSink: MarketEventSink, @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [MarketEvent] = []

    var events: [MarketEvent] { lock.withLock { collected } }

    func receive(_ event: MarketEvent) {
        lock.withLock { collected.append(event) }
    }

    /// Polls until `condition` holds (fails after 10 s).
    func waitFor(_ condition: ([MarketEvent]) -> Bool) async throws {
        for _ in 0..<10_000 {
            if condition(events) { return }
            try await Task.sleep(for: .milliseconds(1))
        }
        Issue.record("condition not met in 10 s")
    }
}

/// A clock that never waits: it records each deadline asked for and jumps to it.
final class TestClock: SimulationClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: UInt64 = 0
    private var asked: [UInt64] = []

    var deadlines: [UInt64] { lock.withLock { asked } }

    func now() -> UInt64 { lock.withLock { current } }

    func sleep(until deadline: UInt64) async throws {
        lock.withLock {
            asked.append(deadline)
            current = max(current, deadline)
        }
    }
}
