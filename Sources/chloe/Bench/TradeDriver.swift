import Foundation
import NIOCore

/// Writes the socket benchmark's trade frames at a steady rate from the feed server's event
/// loop: frames due by now go out at once, each timed just before its write; then it sleeps on
/// a timer of the loop until the next is due (one wake-up per frame at most, no task, no other
/// thread). Trade `k` has time `base + k` and a price on one side of 100 for
/// ``SocketLatencyBenchmark/tradesPerSignal`` trades, then on the other.
final class TradeDriver: Sendable {
    private let server: TradeFeedServer
    private let rate: Int
    private let count: Int
    private let base: Int64
    private let sent: SentTimes
    private let next: NIOLoopBoundBox<Int>

    /// Call on the server's loop.
    init(server: TradeFeedServer, rate: Int, count: Int, base: Int64, sent: SentTimes) {
        self.server = server
        self.rate = rate
        self.count = count
        self.base = base
        self.sent = sent
        next = NIOLoopBoundBox(0, eventLoop: server.loop)
    }

    /// Starts writing; call on the server's loop.
    func start() {
        let start = DispatchTime.now().uptimeNanoseconds
        let interval = 1e9 / Double(rate)
        step(start: start, interval: interval)
    }

    private func step(start: UInt64, interval: Double) {
        let due = min(count, Int(Double(DispatchTime.now().uptimeNanoseconds - start) / interval) + 1)
        var k = next.value
        while k < due {
            let price = (k / SocketLatencyBenchmark.tradesPerSignal) & 1 == 0 ? "101.5" : "98.5"
            let time = base + Int64(k)
            let frame = ByteBuffer(string: #"{"stream":"btcusdt@trade","data":{"e":"trade","E":\#(time),"s":"BTCUSDT","t":\#(k),"p":"\#(price)","q":"0.1","T":\#(time),"m":false,"M":true}}"#)
            sent.set(k, DispatchTime.now().uptimeNanoseconds)
            server.send(frame, stream: "btcusdt@trade")
            k += 1
        }
        next.value = k
        guard k < count else { return }
        let deadline = NIODeadline.uptimeNanoseconds(start + UInt64(Double(k) * interval))
        server.loop.scheduleTask(deadline: deadline) { self.step(start: start, interval: interval) }
    }
}
