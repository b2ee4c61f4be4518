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
}
