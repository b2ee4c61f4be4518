import Exchanges
import Foundation
import Testing
@testable import Host

/// The shard queue's compact events, its spin-then-park consumer, and its bound.
@Suite struct ShardQueueTests {
    @Test func tradesAndTickersAreFlattenedToWhatProcessorsRead() throws {
        let trade = ShardEvent(Market.trade(Market.btc, at: 5, price: "101.25", size: "0.5", received: 7), slot: 3, generation: 7, enqueued: 42)
        #expect(trade.slot == 3 && trade.generation == 7 && trade.enqueued == 42)
        #expect(trade.eventTime == 5 && trade.receiveTime == 7)
        guard case .trade(let price, let size, let takerBuys) = trade.payload else {
            Issue.record("a trade became \(trade.payload)")
            return
        }
        #expect(price == 101.25 && size == 0.5 && takerBuys)

        var untimed = Market.ticker(Market.eth, at: 9, last: "3", bid: "2.5")
        untimed.eventTime = nil
        let ticker = ShardEvent(untimed, slot: 0, generation: 0, enqueued: 0)
        #expect(ticker.eventTime == 9)  // the receive time when the exchange sent none
        guard case .ticker(let last, let bid, let ask, let bidSize, let askSize) = ticker.payload else {
            Issue.record("a ticker became \(ticker.payload)")
            return
        }
        #expect(last == 3 && bid == 2.5)
        #expect(ask.isNaN && bidSize.isNaN && askSize.isNaN)  // not sent

        let book = Market.book(Market.btc, at: 1, snapshot: true, bids: [("1", "2")], asks: [("3", "4")])
        guard case .other(let box) = ShardEvent(book, slot: 0, generation: 0, enqueued: 0).payload else {
            Issue.record("a book snapshot was flattened")
            return
        }
        #expect(box.event == book)
        #expect(MemoryLayout<ShardInput>.stride <= 80)  // a MarketEvent alone takes 184 bytes
    }

    /// Events put while the consumer spins, and after it has parked, all arrive once, in order.
    @Test(arguments: [UInt64(0), 200_000])
    func everyInputArrivesInOrderWhetherTheConsumerSpinsOrParks(idleSpin: UInt64) async throws {
        let queue = ShardQueue(capacity: 16, idleSpin: idleSpin)
        let received = Locked<[Int64]>([])
        let done = DispatchSemaphore(value: 0)
        let consumer = Thread {
            var batch = ShardBuffer(capacity: 16)
            while queue.take(into: &batch) {
                batch.drain { input in
                    if case .event(let event) = consume input { received.withLock { $0.append(event.eventTime) } }
                }
            }
            done.signal()
        }
        consumer.start()
        for k in 1...300 {
            queue.put(.event(ShardEvent(Market.trade(Market.btc, at: Int64(k), price: "1"), slot: 0, generation: 0, enqueued: 0)))
            if k % 50 == 0 { try await Task.sleep(for: .milliseconds(2)) }  // longer than the spin: the consumer parks
        }
        queue.stop()
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(received.withLock { $0 } == Array(1...300))
    }

    @Test func aFullQueueMakesTheProducerWaitButNotControlMessages() async throws {
        let queue = ShardQueue(capacity: 16)
        for k in 1...16 { queue.put(.event(ShardEvent(Market.trade(Market.btc, at: Int64(k), price: "1"), slot: 0, generation: 0, enqueued: 0))) }
        queue.put(.flush, control: true)  // goes in although the queue is full
        let put = DispatchSemaphore(value: 0)
        Thread {
            queue.put(.event(ShardEvent(Market.trade(Market.btc, at: 17, price: "1"), slot: 0, generation: 0, enqueued: 0)))
            put.signal()
        }.start()
        #expect(put.wait(timeout: .now() + 0.2) == .timedOut)  // full: the producer waits
        var batch = ShardBuffer(capacity: 16)
        let took = queue.take(into: &batch)
        #expect(took && batch.count == 17)
        #expect(put.wait(timeout: .now() + 10) == .success)
        #expect(queue.waits == 1)
        batch.drain { _ in }
        let tookTheLast = queue.take(into: &batch)
        #expect(tookTheLast && batch.count == 1)
        queue.stop()
        batch.drain { _ in }
        let tookAfterStop = queue.take(into: &batch)
        #expect(!tookAfterStop)
    }

    private static func trade(_ k: Int64) -> ShardEvent {
        ShardEvent(Market.trade(Market.btc, at: k, price: "1"), slot: 0, generation: 0, enqueued: 0)
    }

    /// A producer may process its event itself only when the shard holds nothing, processes
    /// nothing, and has been idle long enough; otherwise the event is queued in order.
    @Test func aProducerClaimsOnlyAnIdleEmptyShard() throws {
        let queue = ShardQueue(capacity: 16, callerRunsAfterIdle: 1_000)
        #expect(queue.claim(Self.trade(1), now: 500) == nil)  // idle for 500 ns only: queued
        var batch = ShardBuffer(capacity: 16)
        #expect(queue.take(into: &batch) && batch.count == 1)  // the worker owns the shard now
        batch.drain { _ in }
        #expect(queue.claim(Self.trade(2), now: 1_000_000_000) == nil)  // the worker owns it: queued

        let never = ShardQueue(capacity: 16, callerRunsAfterIdle: nil)
        #expect(never.claim(Self.trade(1), now: 1_000_000_000) == nil)

        let idle = ShardQueue(capacity: 16, callerRunsAfterIdle: 1_000)
        let claimed = try #require(idle.claim(Self.trade(3), now: 2_000))
        #expect(claimed.event.eventTime == 3 && !claimed.timeOnCPU)
        #expect(idle.claim(Self.trade(4), now: 2_500) == nil)  // claimed by another producer: queued
        idle.release(claimed: 2_000, now: 3_000)
        #expect(idle.claim(Self.trade(5), now: 1_000_000_000) == nil)  // trade 4 waits: 5 goes behind it
        #expect(idle.take(into: &batch) && batch.count == 2)
        var times: [Int64] = []
        batch.drain { input in if case .event(let event) = consume input { times.append(event.eventTime) } }
        #expect(times == [4, 5])
    }

    /// An event that arrives at once after a long claim was held up by that claim, not sent
    /// close behind it: the producer claims it too rather than waking the parked worker. Events
    /// arriving close together still go to the worker, and so do events after claims that have
    /// kept the producer busy more than half of the recent time.
    @Test func aClaimsOwnLengthIsNotLoad() throws {
        let queue = ShardQueue(capacity: 16, callerRunsAfterIdle: 20_000)
        _ = try #require(queue.claim(Self.trade(1), now: 1_000_000))
        queue.release(claimed: 1_000_000, now: 1_100_000)  // a 100 µs candle close
        // idle for 500 ns only, but it arrived 100.5 µs after the event before it
        _ = try #require(queue.claim(Self.trade(2), now: 1_100_500))
        queue.release(claimed: 1_100_500, now: 1_101_500)
        #expect(queue.claim(Self.trade(3), now: 1_105_000) == nil)  // 4.5 µs after the one before: queued
        var batch = ShardBuffer(capacity: 16)
        #expect(queue.take(into: &batch) && batch.count == 1)
        batch.drain { _ in }

        // a producer whose clock reading is older than the last arrival or the end of the last
        // claim (it waited for the lock) has seen no gap and no idle time
        let late = ShardQueue(capacity: 16, callerRunsAfterIdle: 20_000)
        _ = try #require(late.claim(Self.trade(1), now: 1_000_000))
        late.release(claimed: 1_000_000, now: 1_000_500)
        #expect(late.claim(Self.trade(2), now: 999_000) == nil)
        #expect(late.take(into: &batch) && batch.count == 1)
        batch.drain { _ in }

        // 50 µs claims back to back: the producer is busy; after about 20 (half of the time,
        // with a 1 ms half-life) the next event goes to the worker
        let busy = ShardQueue(capacity: 16, callerRunsAfterIdle: 20_000)
        var now: UInt64 = 10_000_000_000
        var claims = 0
        while let claim = busy.claim(Self.trade(Int64(claims)), now: now) {
            #expect(!claim.timeOnCPU)
            busy.release(claimed: now, now: now + 50_000)
            now += 50_000
            claims += 1
            if claims > 100 { break }
        }
        try #require((15...25).contains(claims))  // else nothing is queued, and take would wait
        #expect(busy.take(into: &batch) && batch.count == 1)
        batch.drain { _ in }
    }

    /// What is queued while a producer holds the shard waits for the claim to end, then wakes
    /// the parked worker; stopping waits for the claim too.
    @Test func aClaimHoldsOffTheWorkerUntilItIsReleased() throws {
        let queue = ShardQueue(capacity: 16, callerRunsAfterIdle: 0)
        let received = Locked<[Int64]>([])
        let done = DispatchSemaphore(value: 0)
        Thread {
            var batch = ShardBuffer(capacity: 16)
            while queue.take(into: &batch) {
                batch.drain { input in
                    if case .event(let event) = consume input { received.withLock { $0.append(event.eventTime) } }
                }
            }
            done.signal()
        }.start()
        let claimed = try #require(queue.claim(Self.trade(1), now: 1_000))
        #expect(claimed.event.eventTime == 1)
        queue.put(.event(Self.trade(2)))
        queue.stop()
        #expect(done.wait(timeout: .now() + 0.2) == .timedOut)  // the worker waits for the claim
        #expect(received.withLock { $0 }.isEmpty)
        queue.release(claimed: 1_000, now: 2_000)
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(received.withLock { $0 } == [2])
    }

    /// A claim that kept its producer too long (a stuck script) leaves the shard's events to its
    /// thread for a while, so the connector is not held up again at once. Too long by the wall
    /// clock only has the next claim timed on the CPU clock; too long there stops claims.
    @Test func aSlowClaimSendsTheNextEventsToTheShardsThread() throws {
        let queue = ShardQueue(capacity: 16, callerRunsAfterIdle: 0)
        _ = try #require(queue.claim(Self.trade(1), now: 1_000))
        queue.release(claimed: 1_000, now: 1_000 + ShardQueue.slowClaim + 1)  // too long by the wall clock
        var now: UInt64 = 1_000 + ShardQueue.slowClaim + 1
        let timed = try #require(queue.claim(Self.trade(2), now: now))  // still claimed, but timed on the CPU
        #expect(timed.timeOnCPU)
        queue.release(claimed: now, now: now + ShardQueue.slowClaim + 1, cpu: ShardQueue.slowClaim + 1)  // too long there too
        now += ShardQueue.slowClaim + 1
        #expect(queue.claim(Self.trade(3), now: now + ShardQueue.slowClaimBackoff - 1) == nil)  // queued
        var batch = ShardBuffer(capacity: 16)
        #expect(queue.take(into: &batch) && batch.count == 1)
        batch.drain { _ in }

        let quick = ShardQueue(capacity: 16, callerRunsAfterIdle: 0)
        _ = try #require(quick.claim(Self.trade(1), now: 1_000))
        quick.release(claimed: 1_000, now: 1_000 + ShardQueue.slowClaim)  // not too long
        let next = try #require(quick.claim(Self.trade(2), now: 1_000 + ShardQueue.slowClaim))
        #expect(!next.timeOnCPU)
    }

    /// A claim slow by the wall clock but not on its thread's CPU clock (the producer was
    /// preempted) does not stop claims, and the claim after it is no longer timed.
    @Test func aPreemptedClaimDoesNotStopClaims() throws {
        let queue = ShardQueue(capacity: 16, callerRunsAfterIdle: 0)
        var now: UInt64 = 1_000
        for _ in 0..<3 {
            let claim = try #require(queue.claim(Self.trade(1), now: now))
            let wall = ShardQueue.slowClaim * 4
            queue.release(claimed: now, now: now + wall, cpu: claim.timeOnCPU ? 10_000 : nil)  // 10 µs of CPU
            now += wall
        }
        let claim = try #require(queue.claim(Self.trade(2), now: now))
        queue.release(claimed: now, now: now + 1_000, cpu: claim.timeOnCPU ? 500 : nil)
        let after = try #require(queue.claim(Self.trade(3), now: now + 1_000))
        #expect(!after.timeOnCPU)
    }
}
