/// Where a connector delivers its events: called synchronously, in arrival order, from the
/// connector's own task. Implementations must return quickly (hand the event to a queue) and
/// never block: the connector cannot read the next frame until `receive` returns.
public protocol MarketEventSink: Sendable {
    /// Takes one event.
    func receive(_ event: MarketEvent)
}
