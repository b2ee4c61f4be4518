/// Exponential backoff with full jitter for reconnecting: attempt n waits a uniformly random
/// time in `0 ... min(maximum, initial × multiplier^n)` ("full jitter", which spreads a crowd
/// of clients best). A pure value: the random source is injected, so tests fix it.
public struct ReconnectBackoff: Sendable, Equatable {
    /// Tuning, every field with a default.
    public struct Configuration: Sendable, Equatable {
        /// The ceiling of the first wait.
        public var initial: Duration
        /// The largest ceiling.
        public var maximum: Duration
        /// How much the ceiling grows per failed attempt.
        public var multiplier: Double

        public init(initial: Duration = .milliseconds(500), maximum: Duration = .seconds(30), multiplier: Double = 2) {
            self.initial = initial
            self.maximum = maximum
            self.multiplier = multiplier
        }
    }

    public let configuration: Configuration
    /// Failed attempts since the last success.
    public private(set) var attempts = 0

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The ceiling of the next wait, without jitter.
    public var ceiling: Duration {
        let initial = Self.seconds(configuration.initial)
        let maximum = Self.seconds(configuration.maximum)
        var value = initial
        for _ in 0..<attempts where value < maximum { value *= max(configuration.multiplier, 1) }
        return .nanoseconds(Int64(min(value, maximum) * 1e9))
    }

    /// The wait before the next attempt, `unit` (a number in `0 ..< 1`) of the way up to the
    /// ceiling; counts the attempt.
    public mutating func nextDelay(unit: Double) -> Duration {
        let delay = Self.seconds(ceiling) * min(max(unit, 0), 1)
        attempts += 1
        return .nanoseconds(Int64(delay * 1e9))
    }

    /// The wait before the next attempt, jittered by `random`.
    public mutating func nextDelay(using random: inout some RandomNumberGenerator) -> Duration {
        nextDelay(unit: Double.random(in: 0..<1, using: &random))
    }

    /// A connection worked: the next failure starts from the initial ceiling again.
    public mutating func reset() { attempts = 0 }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
