import Exchanges
import Testing

/// A random source that returns fixed units, for exact backoff values.
struct FixedUnits: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 { value }
}

struct ReconnectBackoffTests {
    let configuration = ReconnectBackoff.Configuration(initial: .milliseconds(100), maximum: .seconds(1), multiplier: 2)

    @Test func theCeilingDoublesUpToTheMaximum() {
        var backoff = ReconnectBackoff(configuration: configuration)
        var ceilings: [Duration] = []
        for _ in 0..<6 {
            ceilings.append(backoff.ceiling)
            _ = backoff.nextDelay(unit: 0.5)
        }
        #expect(ceilings == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1), .seconds(1)])
    }

    @Test func fullJitterSpansZeroToTheCeiling() {
        var backoff = ReconnectBackoff(configuration: configuration)
        let delays = [0, 0.5, 1].map { backoff.nextDelay(unit: $0) }
        #expect(delays == [.zero, .milliseconds(100), .milliseconds(400)])  // ceilings 100, 200, 400 ms
        #expect(backoff.attempts == 3)
    }

    @Test func anInjectedRandomSourceFixesTheDelay() {
        var backoff = ReconnectBackoff(configuration: configuration)
        var zero = FixedUnits(value: 0)
        let first = backoff.nextDelay(using: &zero)
        #expect(first == .zero)
        var random = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let ceiling = backoff.ceiling
            let delay = backoff.nextDelay(using: &random)
            #expect(delay >= .zero && delay <= ceiling)
        }
    }

    @Test func successResetsTheCeiling() {
        var backoff = ReconnectBackoff(configuration: configuration)
        for _ in 0..<4 { _ = backoff.nextDelay(unit: 1) }
        #expect(backoff.ceiling == .seconds(1))
        backoff.reset()
        #expect(backoff.ceiling == .milliseconds(100))
        #expect(backoff.attempts == 0)
    }
}
