import Exchanges

/// What a shard's queue carries: market events and the router's control messages, in order.
enum ShardInput: Sendable {
    /// A market event, compacted for the queue.
    case event(ShardEvent)
    /// Make the processor of a symbol in `slot` (its events carry the slot and `generation`),
    /// writing into `entry` (registered by the router).
    case start(CanonicalSymbol, Exchange, slot: UInt32, generation: UInt32, entry: LatestState.Entry)
    /// Drop the processor in `slot` if it still has `generation`.
    case stop(slot: UInt32, generation: UInt32)
    /// Close ended candles and publish status as of `now` (epoch ms), with the connectors'
    /// health of every symbol.
    case timer(Int64, ConnectorHealthTable)
    /// Close every open candle.
    case flush
    /// Called once everything queued before it is processed.
    case barrier(@Sendable () -> Void)
}
