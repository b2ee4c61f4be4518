extension Binance {
    /// Keeps a Binance spot book in sync from the diff stream (`@depth@100ms`) and the REST
    /// snapshot, by the documented procedure:
    ///
    /// 1. Buffer diff events; the first one asks for a snapshot (``BookSyncAction/fetchSnapshot``).
    /// 2. A snapshot with `lastUpdateId + 1` below the first event's `U` is too old: fetch again.
    ///    (The docs refetch already at `lastUpdateId < U`; `lastUpdateId == U - 1` is complete
    ///    too, exactly what their step 3 requires of the first event applied.)
    /// 3. Drop buffered events with `u ≤ lastUpdateId`, apply the rest in order.
    /// 4. Afterwards skip events with `u ≤` the book's id (``BookSyncAction/discardedStale``);
    ///    an event with `U >` id + 1 is a gap: the book is dropped and buffering starts again
    ///    (``BookSyncAction/resync(_:)``: fetch a new snapshot).
    public struct BookStateMachine: Sendable {
        private var sync: SequencedBookSync

        /// - Parameter maximumBuffered: diff events held while waiting for a snapshot before
        ///   the wait counts as failed.
        public init(maximumBuffered: Int = 1000) {
            sync = SequencedBookSync(maximumBuffered: maximumBuffered)
        }

        public var book: OrderBook { sync.book }

        /// The update id the book is at, once in sync.
        public var lastUpdateID: UInt64? { sync.lastSequence }

        public var isSynced: Bool { sync.lastSequence != nil }

        /// A `depthUpdate` (its `U` in `delta.firstSequence`) with final update id `u`.
        public mutating func receiveDelta(_ delta: BookUpdate, finalUpdateID: UInt64) -> BookSyncAction {
            sync.receiveDelta(delta, last: finalUpdateID)
        }

        /// The REST snapshot (`GET /api/v3/depth`).
        public mutating func receiveSnapshot(_ snapshot: BookUpdate, lastUpdateID: UInt64) -> BookSyncAction {
            sync.receiveSnapshot(snapshot, sequence: lastUpdateID)
        }

        /// Forgets the book and the buffer (after a reconnect).
        public mutating func reset() { sync.reset() }
    }
}
