import Exchanges
import Foundation
import Indicators
import Testing
@testable import Host

/// Routing: per-symbol order, symbols in parallel on shards, ring sizes, start and stop.
@Suite struct PipelineRouterTests {
    /// Starts `count` symbols on each of the two shards of `router`; returns those of shard 0, then those of shard 1.
    static func startOnEachShard(_ router: PipelineRouter, count: Int) -> [CanonicalSymbol] {
        let symbols = (0..<(2 * count)).map { CanonicalSymbol(base: "S\($0)", quote: "USDT") }
        router.start(symbols, exchange: .sim)
        return symbols.filter { router.shardIndex(of: $0) == 0 } + symbols.filter { router.shardIndex(of: $0) == 1 }
    }

    @Test func eachSymbolKeepsItsOrderAndStaysOnOneShard() async throws {
        let strategies = RecordingStrategies()
        // every event through the shard threads (no producer processing its own)
        let router = PipelineRouter(configuration: .init(shards: 2, callerRunsAfterIdle: nil), strategies: strategies)
        defer { router.shutdown() }
        let symbols = Self.startOnEachShard(router, count: 4)
        #expect(symbols.count == 8)
        #expect(symbols.prefix(4).allSatisfy { router.shardIndex(of: $0) == 0 })  // four on each shard
        for k in 1...500 {
            for symbol in symbols { router.receive(Market.trade(symbol, at: Int64(k) * 10, price: "\(k)")) }
        }
        await router.drain()
        let calls = strategies.calls
        #expect(calls.count == 4000)
        for symbol in symbols {
            let mine = calls.filter { $0.symbol == symbol }
            #expect(mine.map(\.price) == (1...500).map { Double($0) })
            #expect(Set(mine.map(\.thread)).count == 1)
        }
        #expect(Set(calls.map(\.thread)).count == 2)  // both shard threads worked
        let statistics = router.statistics()
        #expect(statistics.events == 4000)
        #expect(statistics.signals == 4000)
        #expect(statistics.eventLatency.totalCount == 4000)
        #expect(statistics.queueLatency.totalCount == 4000)
        #expect(statistics.queueLatency.max <= statistics.eventLatency.max)  // waiting is part of the whole
    }

    @Test func symbolsOnDifferentShardsRunInParallel() async throws {
        let released = DispatchSemaphore(value: 0)
        let outcome = Locked((waited: false, bCalls: 0))
        let probe = Locked<[CanonicalSymbol]>([])
        let strategies = RecordingStrategies { symbol in
            let pair = probe.withLock { $0 }
            if symbol == pair[0] {
                // Symbol A's shard blocks here until symbol B has been processed 100 times.
                let ok = released.wait(timeout: .now() + 10) == .success
                outcome.withLock { $0.waited = ok }
            } else {
                let n = outcome.withLock { value in
                    value.bCalls += 1
                    return value.bCalls
                }
                if n == 100 { released.signal() }
            }
        }
        let router = PipelineRouter(configuration: .init(shards: 2, callerRunsAfterIdle: nil), strategies: strategies)
        defer { router.shutdown() }
        let all = Self.startOnEachShard(router, count: 1)
        probe.withLock { $0 = all }
        router.receive(Market.trade(all[0], at: 1, price: "1"))
        for k in 1...100 { router.receive(Market.trade(all[1], at: Int64(k), price: "2")) }
        await router.drain()
        #expect(outcome.withLock { $0.waited })
    }

    /// Sends trades 1...`count` of `symbol` from a thread of its own, each once every shard is
    /// idle (so its producer may process it), and returns that thread as ``RecordingStrategies``
    /// names it.
    static func tradeWhenIdle(_ router: PipelineRouter, _ symbol: CanonicalSymbol, count: Int) -> String {
        tradeWhenIdle(router, symbol, times: (1...count).map(Int64.init))
    }

    /// As ``tradeWhenIdle(_:_:count:)``, the trades at `times` (the k-th at price k).
    static func tradeWhenIdle(_ router: PipelineRouter, _ symbol: CanonicalSymbol, times: [Int64]) -> String {
        let producer = Locked("")
        let sent = DispatchSemaphore(value: 0)
        Thread {
            producer.withLock { $0 = "\(pthread_self())" }
            for (k, time) in zip(1..., times) {
                while !router.isIdle { usleep(100) }
                router.receive(Market.trade(symbol, at: time, price: "\(k)"))
            }
            sent.signal()
        }.start()
        sent.wait()
        return producer.withLock { $0 }
    }

    /// An event reaching an idle shard is processed by its producer, on the producer's thread,
    /// with no wake-up of the shard's thread.
    @Test func anIdleShardsEventIsProcessedByItsProducer() async throws {
        let strategies = RecordingStrategies()
        // a busy machine's preemption is not a slow strategy: no slow-claim limit set out of reach
        let router = PipelineRouter(configuration: PipelineConfiguration(shards: 1, callerRunsAfterIdle: .zero), strategies: strategies)
        defer { router.shutdown() }
        let symbol = CanonicalSymbol(base: "BTC", quote: "USDT")
        router.start([symbol], exchange: .sim)
        await router.drain()
        let producer = Self.tradeWhenIdle(router, symbol, count: 50)
        await router.drain()
        let calls = strategies.calls
        #expect(calls.map(\.price) == (1...50).map { Double($0) })
        let statistics = router.statistics()
        #expect(statistics.events == 50)
        let onProducer = calls.filter { $0.thread == producer }.count
        #expect(statistics.inlineEvents == UInt64(onProducer))
        #expect(onProducer >= 40)
        #expect(statistics.eventLatency.totalCount == 50)
    }

    /// After events that kept their producer too long on its CPU (a stuck strategy), the
    /// shard's next events go to the shard's thread: the connector is not held up by that
    /// script again. The first slow event has the next timed on the CPU clock, which confirms it.
    @Test func aSlowEventSendsTheShardsNextEventsToItsThread() async throws {
        let slowOnes = Locked(2)
        let slow = RecordingStrategies { _ in
            guard slowOnes.withLock({ left in defer { left -= 1 }; return left > 0 }) else { return }
            let start = nanoseconds(of: CLOCK_THREAD_CPUTIME_ID)
            while nanoseconds(of: CLOCK_THREAD_CPUTIME_ID) - start < 2_000_000 {}  // 2 ms of CPU, not of sleep
        }
        let router = PipelineRouter(configuration: .init(shards: 1, callerRunsAfterIdle: .zero), strategies: slow)
        defer { router.shutdown() }
        let symbol = CanonicalSymbol(base: "BTC", quote: "USDT")
        router.start([symbol], exchange: .sim)
        await router.drain()
        let producer = Self.tradeWhenIdle(router, symbol, count: 5)
        await router.drain()
        let threads = slow.calls.map(\.thread)
        #expect(threads.count == 5)
        try #require(threads.prefix(2).allSatisfy { $0 == producer })  // the slow ones ran on their producer
        #expect(threads.dropFirst(2).allSatisfy { $0 != producer })
        #expect(router.statistics().inlineEvents == 2)
    }

    /// Producers on several threads, each processing its events itself whenever its shard is
    /// idle and queueing them otherwise: each symbol keeps its order, and two events of one
    /// shard are never processed at once.
    @Test func producersRunningTheirOwnEventsKeepOrderAndExclusion() async throws {
        let busy = Locked((shards: [false, false], overlaps: 0))
        let shardOf = Locked<[CanonicalSymbol: Int]>([:])
        let strategies = RecordingStrategies { symbol in
            guard let shard = shardOf.withLock({ $0[symbol] }) else { return }
            busy.withLock { state in
                if state.shards[shard] { state.overlaps += 1 }
                state.shards[shard] = true
            }
            for _ in 0..<100 { _ = busy.withLock { $0.overlaps } }  // stay inside a moment
            busy.withLock { $0.shards[shard] = false }
        }
        let router = PipelineRouter(configuration: .init(shards: 2, callerRunsAfterIdle: .zero), strategies: strategies)
        defer { router.shutdown() }
        let symbols = Self.startOnEachShard(router, count: 4)
        shardOf.withLock { map in for symbol in symbols { map[symbol] = router.shardIndex(of: symbol) } }
        await router.drain()
        let group = DispatchGroup()
        for producer in 0..<4 {
            let mine = [symbols[producer], symbols[producer + 4]]  // one symbol of each shard
            group.enter()
            Thread {
                for k in 1...400 {
                    if k % 50 == 0 { usleep(500) }  // let the shards go idle now and then
                    for symbol in mine { router.receive(Market.trade(symbol, at: Int64(k), price: "\(k)")) }
                }
                group.leave()
            }.start()
        }
        group.wait()
        await router.drain()
        let calls = strategies.calls
        for symbol in symbols {
            #expect(calls.filter { $0.symbol == symbol }.map(\.price) == (1...400).map { Double($0) })
        }
        #expect(busy.withLock { $0.overlaps } == 0)
        let statistics = router.statistics()
        #expect(statistics.events == 3200)
        #expect(statistics.inlineEvents > 0)
    }

    @Test func ringsKeepTheConfiguredNumberOfTicksAndTrades() async throws {
        let strategies = RecordingStrategies()
        let router = PipelineRouter(configuration: .init(tickCapacity: 5, tradeCapacity: 3, shards: 1), strategies: strategies)
        defer { router.shutdown() }
        router.start([Market.btc], exchange: .sim)
        for k in 1...10 {
            router.receive(Market.ticker(Market.btc, at: Int64(k), last: "\(k)"))
            router.receive(Market.trade(Market.btc, at: Int64(k), price: "\(k)"))
        }
        await router.drain()
        let last = try #require(strategies.calls.last)
        #expect(last.ticks == 5)
        #expect(last.trades == 3)
        #expect(strategies.calls.map(\.ticks).prefix(6) == [1, 1, 2, 2, 3, 3])
    }

    @Test func recentRingKeepsTheNewestValues() {
        var ring = RecentRing(capacity: 3, filler: 0)
        #expect(ring.newest == nil)
        for k in 1...7 { ring.append(k) }
        #expect(ring.count == 3)
        #expect(ring.capacity == 3)
        #expect(ring.appended == 7)
        #expect(ring[age: 0] == 7 && ring[age: 2] == 5)
        #expect(ring.oldestFirst == [5, 6, 7])
    }

    @Test func eventsOfSymbolsNotStartedAreCountedNotProcessed() async throws {
        let strategies = RecordingStrategies()
        let router = PipelineRouter(configuration: .init(shards: 2), strategies: strategies)
        defer { router.shutdown() }
        router.start([Market.btc], exchange: .sim)
        router.receive(Market.trade(Market.eth, at: 1, price: "1"))
        router.receive(Market.trade(Market.btc, at: 1, price: "1"))
        router.receive(Market.trade(Market.btc, at: 2, price: "1", exchange: .binance))  // started on sim only
        await router.drain()
        #expect(router.statistics().unrouted == 2)
        #expect(strategies.calls.count == 1)
        #expect(router.state.symbols == [Market.btc])
        router.stop([Market.btc])
        router.receive(Market.trade(Market.btc, at: 3, price: "1"))
        await router.drain()
        #expect(router.state.symbols.isEmpty)
        #expect(router.statistics().unrouted == 3)
        router.shutdown()
        await router.drain()  // returns at once after shutdown
    }

    @Test func aSymbolStoppedAndStartedAgainStartsFresh() async throws {
        let strategies = RecordingStrategies()
        let router = PipelineRouter(configuration: .init(tickCapacity: 10, shards: 2), strategies: strategies)
        defer { router.shutdown() }
        router.start([Market.btc, Market.eth], exchange: .sim)
        for k in 1...3 { router.receive(Market.ticker(Market.btc, at: Int64(k), last: "\(k)")) }
        router.stop([Market.btc])
        router.start([Market.btc], exchange: .sim)  // takes the slot it had, a new generation
        router.receive(Market.ticker(Market.btc, at: 4, last: "4"))
        router.receive(Market.ticker(Market.eth, at: 4, last: "40"))
        await router.drain()
        let btc = strategies.calls.filter { $0.symbol == Market.btc }
        #expect(btc.map(\.price) == [1, 2, 3, 4])
        #expect(btc.last?.ticks == 1)  // the new processor saw only the event after the restart
        #expect(router.state.symbols == [Market.btc, Market.eth])
        #expect(router.state.snapshot(of: Market.btc)?.lastPrice == 4)
        #expect(router.statistics().unrouted == 0)
    }

    @Test func aSymbolRestartedOnTheOtherShardKeepsItsLatestState() async throws {
        let router = PipelineRouter(configuration: .init(shards: 2), strategies: RecordingStrategies())
        defer { router.shutdown() }
        let other = CanonicalSymbol(base: "XRP", quote: "USDT")
        router.start([Market.btc, Market.eth], exchange: .sim)
        let before = try #require(router.shardIndex(of: Market.btc))
        router.stop([Market.btc])
        router.start([other], exchange: .sim)  // takes BTC's place on its shard
        router.stop([Market.eth])
        router.start([Market.btc], exchange: .sim)  // now on the other shard
        #expect(router.shardIndex(of: Market.btc) == 1 - before)
        router.receive(Market.ticker(Market.btc, at: 5, last: "5"))
        await router.drain()
        // the old shard's stop, whenever it ran, did not remove the new shard's entry
        #expect(router.state.symbols == [Market.btc, other])
        #expect(router.state.snapshot(of: Market.btc)?.lastPrice == 5)
    }

    @Test func symbolsAreSpreadEvenlyOverTheShards() async throws {
        let router = PipelineRouter(configuration: .init(shards: 2))
        defer { router.shutdown() }
        let symbols = (0..<10).map { CanonicalSymbol(base: "S\($0)", quote: "USDT") }
        router.start(symbols, exchange: .sim)
        let first = symbols.filter { router.shardIndex(of: $0) == 0 }
        #expect(first.count == 5)
        // not by the order they were started in: S0, S2, ... are not all on one shard
        #expect(first != symbols.enumerated().filter { $0.offset % 2 == 0 }.map(\.element))
        #expect(first != symbols.enumerated().filter { $0.offset % 2 == 1 }.map(\.element))
        router.stop(Array(first.prefix(4)))  // shard 0 runs 1, shard 1 runs 5
        let later = (10..<12).map { CanonicalSymbol(base: "S\($0)", quote: "USDT") }
        router.start(later, exchange: .sim)
        #expect(later.allSatisfy { router.shardIndex(of: $0) == 0 })
        #expect(router.shardIndex(of: first[0]) == nil)
    }

    @Test func aFreedSlotGetsANewGeneration() throws {
        var table = RoutingTable(shards: 1)
        let assigned = table.assign(Market.btc, exchange: .sim)
        let first = try #require(assigned)
        let again = table.assign(Market.btc, exchange: .binance)
        #expect(again == nil)  // already running
        let released = table.release(Market.btc)
        #expect(released?.slot == first.slot)
        let twice = table.release(Market.btc)
        #expect(twice == nil)
        let reused = table.assign(Market.eth, exchange: .sim)
        let second = try #require(reused)
        #expect(second.slot == first.slot)
        #expect(second.generation == first.generation &+ 1)  // an event resolved for BTC before its stop is not ETH's
        let restarted = table.assign(Market.btc, exchange: .sim)
        let third = try #require(restarted)
        #expect(third.slot != second.slot)
    }

    @Test func symbolNamesResolveNativeAndCanonical() throws {
        #expect(SymbolNames.resolve("BTCUSDT", on: .binance) == Market.btc)
        #expect(SymbolNames.resolve("btc/usdt", on: .binance) == Market.btc)
        #expect(SymbolNames.resolve("BTC-USD", on: .coinbase)?.description == "BTC/USD")
        #expect(SymbolNames.resolve("XBT/USD", on: .kraken)?.description == "BTC/USD")
        #expect(SymbolNames.resolve("ETH-USDT", on: .kucoin) == Market.eth)
        #expect(SymbolNames.resolve("XRP_ETH", on: .sim)?.description == "XRP/ETH")
        #expect(SymbolNames.resolve("ETHUSDT", on: .sim) == Market.eth)
        #expect(throws: SymbolNameError.self) { try SymbolNames.resolve(["BTCUSDT", "??", ""], on: .binance) }
        do {
            _ = try SymbolNames.resolve(["BTCUSDT", "??"], on: .binance)
        } catch {
            #expect(error.description.contains("'??'"))
            #expect(!error.description.contains("BTCUSDT"))
        }
    }
}
