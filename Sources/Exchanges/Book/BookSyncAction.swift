/// What a book state machine asks its connector to do after an input.
public enum BookSyncAction: Sendable, Equatable {
    /// Nothing to do: the message was buffered, or arrived before the book could use it.
    case none
    /// Fetch the REST snapshot and pass it to the machine (Binance, KuCoin).
    case fetchSnapshot
    /// The book changed and is in sync: publish it.
    case applied
    /// The message was older than the book and was dropped (count it as out of order).
    case discardedStale
    /// The book was thrown away. Binance and KuCoin: fetch a new snapshot (the machine is
    /// already buffering again). Kraken: resubscribe the symbol. Coinbase: resubscribe or
    /// reconnect.
    case resync(BookSyncProblem)
}
