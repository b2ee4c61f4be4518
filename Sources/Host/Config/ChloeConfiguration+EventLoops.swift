extension ChloeConfiguration {
    /// NIO's own variable for the size of its shared event loop group.
    static let nioLoopCountVariable = "NIO_SINGLETON_GROUP_LOOP_COUNT"

    /// How many event loops the daemon's network side (exchange connections, API sockets)
    /// should have on a machine with `cores` cores, or nil to leave NIO's choice (one per core,
    /// or `NIO_SINGLETON_GROUP_LOOP_COUNT`).
    ///
    /// `event_loops` when set. With `auto`: nil when `NIO_SINGLETON_GROUP_LOOP_COUNT` is set in
    /// `environment`, else half the cores, at least one (the pipeline has a shard thread per
    /// core as well). Each loop a socket does not share costs a thread wake-up per message
    /// handed to another loop (an exchange's trade read on one, written to a WebSocket client
    /// on another): on two cores, one loop for both measured about 10 % less CPU per trade and
    /// a lower latency than two (docs/performance.md, session 10).
    public func eventLoopCount(cores: Int, environment: [String: String]) -> Int? {
        if let eventLoops { return eventLoops }
        if environment[Self.nioLoopCountVariable] != nil { return nil }
        return max(1, cores / 2)
    }
}
