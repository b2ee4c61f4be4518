import Exchanges
import Foundation
import Indicators
import Testing
@testable import Host

/// Routing: per-symbol order, symbols in parallel on shards, ring sizes, start and stop.
@Suite struct PipelineRouterTests {
    /// Symbols on shard 0 and on shard 1 of `router`.
    static func symbolsOnEachShard(_ router: PipelineRouter, count: Int) -> [CanonicalSymbol] {
        var picked: [Int: [CanonicalSymbol]] = [:]
        for k in 0..<200 {
            let symbol = CanonicalSymbol(base: "S\(k)", quote: "USDT")
            let shard = router.shard(of: symbol).index
            if picked[shard, default: []].count < count { picked[shard, default: []].append(symbol) }
        }
        return (picked[0] ?? []) + (picked[1] ?? [])
    }

    @Test func eachSymbolKeepsItsOrderAndStaysOnOneShard() async throws {
        let strategies = RecordingStrategies()
        let router = PipelineRouter(configuration: .init(shards: 2), strategies: strategies)
        defer { router.shutdown() }
        let symbols = Self.symbolsOnEachShard(router, count: 4)
        #expect(symbols.count == 8)
        router.start(symbols, exchange: .sim)
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
        let router = PipelineRouter(configuration: .init(shards: 2), strategies: strategies)
        defer { router.shutdown() }
        let all = Self.symbolsOnEachShard(router, count: 1)
        probe.withLock { $0 = all }
        router.start(all, exchange: .sim)
        router.receive(Market.trade(all[0], at: 1, price: "1"))
        for k in 1...100 { router.receive(Market.trade(all[1], at: Int64(k), price: "2")) }
        await router.drain()
        #expect(outcome.withLock { $0.waited })
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
