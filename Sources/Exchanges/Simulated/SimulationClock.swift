/// The wall clock the simulated exchange paces itself by: injected so tests can run a
/// "real-time" replay instantly and check every pause it asked for.
public protocol SimulationClock: Sendable {
    /// A monotonic reading in nanoseconds.
    func now() -> UInt64
    /// Suspends until `now() >= deadline`; throws when the task is cancelled.
    func sleep(until deadline: UInt64) async throws
}

/// The process's monotonic clock (`ContinuousClock`).
public struct SystemSimulationClock: SimulationClock {
    private let origin = ContinuousClock.now

    public init() {}

    public func now() -> UInt64 {
        let elapsed = ContinuousClock.now - origin
        return UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000)
    }

    public func sleep(until deadline: UInt64) async throws {
        let current = now()
        guard deadline > current else { return }
        try await Task.sleep(for: .nanoseconds(Int64(deadline - current)))
    }
}
