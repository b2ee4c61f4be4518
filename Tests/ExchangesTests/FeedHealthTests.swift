import Testing
@testable import Exchanges

@Suite struct FeedHealthTests {
    @Test func countsMessagesAndIncidents() {
        var health = FeedHealth()
        #expect(health.quality(at: 1000) == 0)  // nothing received yet
        #expect(health.lastMessageAge(at: 1000) == nil)
        for t in stride(from: Int64(10_000), to: 12_000, by: 100) { health.recordMessage(at: t) }
        #expect(health.messages == 20)
        #expect(health.lastMessageAge(at: 12_400) == 500)
        #expect(health.messagesPerSecond(at: 11_950) == 10)  // the second 10.000–10.999
        #expect(health.messagesPerSecond(at: 12_100) == 10)  // the second 11.000–11.999
        #expect(health.messagesPerSecond(at: 14_000) == 0)
        health.record(.gap, at: 12_000)
        health.record(.gap, at: 12_000)
        health.record(.checksumFailure, at: 12_000)
        #expect(health.count(.gap) == 2)
        #expect(health.count(.checksumFailure) == 1)
        #expect(health.count(.reconnect) == 0)
    }

    @Test func scoresFreshnessSyncAndTrouble() {
        var health = FeedHealth(configuration: FeedHealth.Configuration(staleAfterMilliseconds: 10_000, incidentHalfLifeMilliseconds: 60_000))
        health.recordMessage(at: 0)
        #expect(health.quality(at: 1000) == 1)
        #expect(health.quality(at: 7500) == 0.5)   // three quarters of the way to stale
        #expect(health.quality(at: 10_000) == 0)
        health.recordMessage(at: 20_000)
        health.record(.reconnect, at: 20_000)
        #expect(health.quality(at: 20_000) == 0.5)  // 1 / (1 + 1)
        let later = health.quality(at: 80_000)      // one half-life: trouble 0.5, but the data is stale
        #expect(later == 0)
        health.recordMessage(at: 80_000)
        #expect(abs(health.quality(at: 80_000) - 1 / 1.5) < 1e-9)
        health.isBookInSync = false
        #expect(health.quality(at: 80_000) == 0)
    }

    @Test func syncProblemsMapToIncidents() {
        #expect(BookSyncProblem.gap(expected: 1, received: 3).incident == .gap)
        #expect(BookSyncProblem.checksumMismatch(expected: 1, computed: 2).incident == .checksumFailure)
        #expect(BookSyncProblem.bufferOverflow(limit: 5).description == "more than 5 messages buffered while waiting for a snapshot")
    }
}
