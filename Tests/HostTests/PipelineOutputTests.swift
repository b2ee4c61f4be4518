import Exchanges
import Foundation
import Testing
@testable import Host

/// The output hub: bounded queues, drops counted per consumer, filters, async delivery.
@Suite struct PipelineOutputTests {
    @Test func aConsumerThatNeverReadsLosesItsOldestRecordsAndStallsNothing() async throws {
        let router = PipelineRouter(configuration: .init(shards: 2), strategies: RecordingStrategies())
        defer { router.shutdown() }
        let stalled = router.hub.subscribe(channels: [.ticks], capacity: 10)
        let complete = router.hub.subscribe(channels: [.ticks, .signals], capacity: .max)
        router.start([Market.btc, Market.eth], exchange: .sim)
        for k in 1...10_000 {
            router.receive(Market.trade(k % 2 == 0 ? Market.btc : Market.eth, at: Int64(k), price: "\(k)"))
        }
        await router.drain()
        #expect(router.statistics().events == 10_000)
        #expect(stalled.offered == 10_000)
        #expect(stalled.dropped == 9_990)
        #expect(stalled.queued == 10)
        let kept = stalled.drain().compactMap { if case .trade(_, _, let t) = $0 { t.price } else { nil } }
        #expect(kept.count == 10)
        #expect(kept.min()! > 9_000)  // the newest survive
        let all = complete.drain()
        #expect(complete.dropped == 0)
        #expect(all.filter { $0.channel == .ticks }.count == 10_000)
        #expect(all.filter { $0.channel == .signals }.count == 10_000)
    }

    @Test func consumersGetOnlyTheirChannelsAndSymbols() async throws {
        let hub = OutputHub()
        let btcTicks = hub.subscribe(channels: [.ticks], symbols: ["BTC/USDT"])
        let everything = hub.subscribe()
        #expect(hub.isWanted(.ticks) && hub.isWanted(.status))
        hub.publish(.tick(symbol: Market.btc, exchange: .sim, RecentTick(time: 1, last: 1)))
        hub.publish(.tick(symbol: Market.eth, exchange: .sim, RecentTick(time: 2, last: 2)))
        hub.publish(.candle(symbol: Market.btc, exchange: .sim, interval: .oneMinute, .init(time: 0, open: 1, high: 1, low: 1, close: 1, volume: 1)))
        #expect(btcTicks.drain().map(\.symbol) == ["BTC/USDT"])
        #expect(everything.drain().map(\.channel) == [.ticks, .ticks, .candles])
        everything.cancel()
        #expect(hub.consumerCount == 1)
        #expect(!hub.isWanted(.status))
        hub.publish(.tick(symbol: Market.btc, exchange: .sim, RecentTick(time: 3)))
        #expect(everything.queued == 0)
    }

    @Test func anAsyncConsumerReceivesInOrderAndEndsOnCancel() async throws {
        let hub = OutputHub()
        let subscription = hub.subscribe(channels: [.ticks], capacity: .max)
        let reader = Task {
            var times: [Int64] = []
            for await record in subscription {
                if case .tick(_, _, let tick) = record { times.append(tick.time) }
            }
            return times
        }
        for k in 0..<1000 { hub.publish(.tick(symbol: Market.btc, exchange: .sim, RecentTick(time: Int64(k)))) }
        while subscription.queued > 0 { await Task.yield() }
        subscription.cancel()
        let times = await reader.value
        #expect(times == (0..<1000).map { Int64($0) })
    }
}
