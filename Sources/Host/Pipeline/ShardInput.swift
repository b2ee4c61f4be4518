import Exchanges

/// What a shard's queue carries: market events and the router's control messages, in order.
enum ShardInput: Sendable {
    /// A market event, compacted for the queue.
    case event(ShardEvent)
    case start(CanonicalSymbol, Exchange)
    case stop(CanonicalSymbol)
    /// Close ended candles and publish status as of `now` (epoch ms), with the connectors'
    /// health of every symbol.
    case timer(Int64, ConnectorHealthTable)
    /// Close every open candle.
    case flush
    /// Called once everything queued before it is processed.
    case barrier(@Sendable () -> Void)
}
