#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Health of one (exchange, symbol) feed: counters, freshness, rate and a 0...1 quality score
/// the host uses to turn a symbol's signals to "unknown" when its data cannot be trusted.
///
/// A plain value owned by the connector; every method takes the current time (epoch ms), so
/// tests drive it with any clock.
public struct FeedHealth: Sendable, Equatable {
    /// Tuning, every field with a default.
    public struct Configuration: Sendable, Equatable {
        /// Data older than this makes the score 0; from half of it the score falls linearly.
        public var staleAfterMilliseconds: Int64
        /// Incidents stop weighing on the score with this half-life.
        public var incidentHalfLifeMilliseconds: Int64

        public init(staleAfterMilliseconds: Int64 = 10_000, incidentHalfLifeMilliseconds: Int64 = 60_000) {
            self.staleAfterMilliseconds = staleAfterMilliseconds
            self.incidentHalfLifeMilliseconds = incidentHalfLifeMilliseconds
        }
    }

    public var configuration: Configuration
    /// Whether the symbol's book is in sync; set by the connector (true for feeds without a book).
    public var isBookInSync: Bool
    /// Messages counted so far.
    public private(set) var messages: UInt64 = 0
    /// Local receive time of the newest message, epoch ms.
    public private(set) var lastMessageTime: Int64?
    private var counts: [FeedIncident: UInt64] = [:]
    private var trouble = 0.0          // decayed sum of incident weights
    private var troubleTime: Int64 = 0  // when `trouble` was last brought up to date
    private var second: Int64 = 0       // the wall-clock second being counted (now / 1000)
    private var secondCount: UInt64 = 0
    private var previousSecondCount: UInt64 = 0

    public init(configuration: Configuration = Configuration(), isBookInSync: Bool = true) {
        self.configuration = configuration
        self.isBookInSync = isBookInSync
    }

    /// Counts a message received at `now`.
    public mutating func recordMessage(at now: Int64) {
        messages += 1
        lastMessageTime = now
        let current = now / 1000
        if current != second {
            previousSecondCount = current == second + 1 ? secondCount : 0
            second = current
            secondCount = 0
        }
        secondCount += 1
    }

    /// Counts an incident at `now`.
    public mutating func record(_ incident: FeedIncident, at now: Int64) {
        counts[incident, default: 0] += 1
        trouble = decayedTrouble(at: now) + incident.weight
        troubleTime = max(troubleTime, now)
    }

    /// How many times `incident` happened.
    public func count(_ incident: FeedIncident) -> UInt64 { counts[incident] ?? 0 }

    /// Milliseconds since the newest message, or nil before the first.
    public func lastMessageAge(at now: Int64) -> Int64? {
        lastMessageTime.map { max(0, now - $0) }
    }

    /// Messages received in the last complete wall-clock second before `now`.
    public func messagesPerSecond(at now: Int64) -> Double {
        switch now / 1000 {
        case second: Double(previousSecondCount)
        case second + 1: Double(secondCount)
        default: 0
        }
    }

    /// 1 for a fresh, in-sync, trouble-free feed; 0 for a stale or out-of-sync one. In between,
    /// freshness (falling from half the stale limit) times `1 / (1 + recent trouble)`, where each
    /// incident adds its weight and fades with the configured half-life.
    public func quality(at now: Int64) -> Double {
        guard isBookInSync, let age = lastMessageAge(at: now) else { return 0 }
        let limit = Double(max(configuration.staleAfterMilliseconds, 1))
        let freshness = min(1, max(0, 2 * (1 - Double(age) / limit)))
        return freshness / (1 + decayedTrouble(at: now))
    }

    /// The incident part of ``quality(at:)`` alone, `1 / (1 + recent trouble)`: 1 when nothing
    /// went wrong lately, whatever the freshness.
    public func incidentFactor(at now: Int64) -> Double {
        1 / (1 + decayedTrouble(at: now))
    }

    /// Every incident counted so far, by kind (kinds never seen are absent).
    public var incidentCounts: [FeedIncident: UInt64] { counts }

    private func decayedTrouble(at now: Int64) -> Double {
        guard trouble > 0, now > troubleTime else { return trouble }
        let halfLives = Double(now - troubleTime) / Double(max(configuration.incidentHalfLifeMilliseconds, 1))
        return trouble * exp2(-halfLives)
    }
}
