extension Coinbase {
    /// One product's `level2` book. The channel sends its own full snapshot, then updates with
    /// absolute sizes; Coinbase guarantees delivery, and gaps are detected connection-wide by
    /// ``SequenceTracker``, after which the connector calls ``invalidate()`` on every book and
    /// resubscribes.
    public struct BookStateMachine: Sendable {
        public private(set) var book = OrderBook()
        public private(set) var isSynced = false

        public init() {}

        /// An `l2_data` snapshot event: replaces the book.
        public mutating func receiveSnapshot(_ snapshot: BookUpdate) -> BookSyncAction {
            guard book.replace(with: snapshot) else { return invalid() }
            isSynced = true
            return .applied
        }

        /// An `l2_data` update event. Before the snapshot there is no book to apply it to.
        public mutating func receiveUpdate(_ update: BookUpdate) -> BookSyncAction {
            guard isSynced else { return .none }
            guard book.apply(update) else { return invalid() }
            return .applied
        }

        /// Drops the book until the next snapshot (after a sequence gap or a reconnect).
        public mutating func invalidate() {
            book.removeAll()
            isSynced = false
        }

        /// A price the book cannot hold: drop the book and resubscribe.
        private mutating func invalid() -> BookSyncAction {
            invalidate()
            return .resync(.unrepresentablePrice)
        }
    }
}
