extension KuCoin {
    /// Keeps a KuCoin spot book in sync from `/market/level2` and a REST snapshot
    /// (`GET /api/v1/market/orderbook/level2_100` or `/api/v3/market/orderbook/level2`):
    ///
    /// 1. Buffer level2 messages; the first asks for a snapshot (``BookSyncAction/fetchSnapshot``).
    /// 2. Drop messages with `sequenceEnd ≤` the snapshot's `sequence`.
    /// 3. Apply a message when `sequenceStart ≤` book + 1 and `sequenceEnd >` book, skipping the
    ///    changes whose own sequence the book already has; then the book is at `sequenceEnd`.
    ///    (Changes with price `"0"` only advance the sequence; the decoder leaves them out.)
    /// 4. `sequenceStart >` book + 1 is a gap: the book is dropped and buffering starts again
    ///    (``BookSyncAction/resync(_:)``: fetch a new snapshot).
    public struct BookStateMachine: Sendable {
        private var sync: SequencedBookSync

        /// - Parameter maximumBuffered: messages held while waiting for a snapshot before the
        ///   wait counts as failed.
        public init(maximumBuffered: Int = 1000) {
            sync = SequencedBookSync(maximumBuffered: maximumBuffered)
        }

        public var book: OrderBook { sync.book }

        /// The sequence the book is at, once in sync.
        public var sequence: UInt64? { sync.lastSequence }

        public var isSynced: Bool { sync.lastSequence != nil }

        /// A level2 message (`sequenceStart` in `delta.firstSequence`) ending at `sequenceEnd`.
        public mutating func receiveDelta(_ delta: BookUpdate, sequenceEnd: UInt64) -> BookSyncAction {
            sync.receiveDelta(delta, last: sequenceEnd)
        }

        /// The REST snapshot, complete up to `sequence`.
        public mutating func receiveSnapshot(_ snapshot: BookUpdate, sequence: UInt64) -> BookSyncAction {
            sync.receiveSnapshot(snapshot, sequence: sequence)
        }

        /// Forgets the book and the buffer (after a reconnect).
        public mutating func reset() { sync.reset() }
    }
}
