import Testing
@testable import Exchanges

/// The sliding-window pacing of outgoing messages, driven by explicit instants.
@Suite struct SendThrottleTests {
    let start = ContinuousClock.now

    private func at(_ milliseconds: Int) -> ContinuousClock.Instant { start + .milliseconds(milliseconds) }

    @Test func noWindowHoldsMoreThanTheLimit() {
        var throttle = SendThrottle(limit: MessageRateLimit(messages: 4, per: .seconds(2)))
        for k in 1...9 { throttle.enqueue("m\(k)") }
        #expect(throttle.release(at: at(0)) == ["m1", "m2", "m3", "m4"])
        #expect(throttle.release(at: at(1999)).isEmpty)
        #expect(throttle.release(at: at(2000)) == ["m5", "m6", "m7", "m8"])
        #expect(throttle.queued == ["m9"])
        #expect(throttle.release(at: at(3999)).isEmpty)
        #expect(throttle.release(at: at(4000)) == ["m9"])
        #expect(throttle.queued.isEmpty)
    }

    @Test func spreadSendsFreeRoomOneByOne() {
        var throttle = SendThrottle(limit: MessageRateLimit(messages: 2, per: .seconds(1)))
        throttle.enqueue("a")
        #expect(throttle.release(at: at(0)) == ["a"])
        throttle.enqueue("b")
        #expect(throttle.release(at: at(600)) == ["b"])
        throttle.enqueue("c")
        throttle.enqueue("d")
        #expect(throttle.release(at: at(900)).isEmpty)      // a and b are within the last second
        #expect(throttle.release(at: at(1000)) == ["c"])    // a aged out
        #expect(throttle.release(at: at(1599)).isEmpty)
        #expect(throttle.release(at: at(1600)) == ["d"])    // b aged out
        // Long use keeps working (the record of sends is trimmed).
        for k in 0..<100 {
            throttle.enqueue("x\(k)")
            #expect(throttle.release(at: at(3000 + 1000 * k)) == ["x\(k)"])
        }
    }

    @Test func withoutALimitEverythingGoesAtOnce() {
        var throttle = SendThrottle(limit: nil)
        for k in 1...50 { throttle.enqueue("m\(k)") }
        #expect(throttle.release(at: at(0)).count == 50)
        #expect(throttle.queued.isEmpty)
    }
}
