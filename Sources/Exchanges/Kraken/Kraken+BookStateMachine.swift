extension Kraken {
    /// One symbol's v2 book. Kraken sends no sequence numbers; instead every snapshot and
    /// update carries the CRC32 of the top ten levels, verified here after the message is
    /// applied and the book cut to the subscribed depth (levels that fall off the edge are
    /// never deleted explicitly). A mismatch drops the book: resubscribe the symbol.
    ///
    /// The levels cut off the edge are kept in ``fellOutOfDepth``, so a connector can publish
    /// deltas that describe this depth-limited book exactly.
    public struct BookStateMachine: Sendable {
        /// Levels per side, as subscribed.
        public let depth: Int
        /// The pair's precision, which the checksum is computed at.
        public var precision: Precision
        public private(set) var book = OrderBook()
        public private(set) var isSynced = false
        /// The levels the last message pushed beyond ``depth``, as removals (size zero):
        /// Kraken sends no delete for them, so a consumer applying the message needs these
        /// too to hold the same book.
        public private(set) var fellOutOfDepth = BookUpdate()

        public init(depth: Int = 10, precision: Precision) {
            self.depth = depth
            self.precision = precision
        }

        /// A `book` snapshot: replaces the book.
        public mutating func receiveSnapshot(_ snapshot: BookUpdate) -> BookSyncAction {
            let accepted = book.replace(with: snapshot)
            return verify(snapshot.checksum, accepted: accepted)
        }

        /// A `book` update, its levels applied in order. Before a snapshot it is ignored.
        public mutating func receiveUpdate(_ update: BookUpdate) -> BookSyncAction {
            guard isSynced else { return .none }
            let accepted = book.apply(update)
            return verify(update.checksum, accepted: accepted)
        }

        /// Drops the book until the next snapshot.
        public mutating func reset() {
            book.removeAll()
            isSynced = false
        }

        private mutating func verify(_ expected: UInt32?, accepted: Bool) -> BookSyncAction {
            guard accepted else {
                reset()
                return .resync(.unrepresentablePrice)
            }
            fellOutOfDepth.bids.removeAll(keepingCapacity: true)
            fellOutOfDepth.asks.removeAll(keepingCapacity: true)
            for rank in depth..<max(depth, book.bids.count) {
                fellOutOfDepth.bids.append(BookLevel(price: book.bids[rank].price, size: .zero))
            }
            for rank in depth..<max(depth, book.asks.count) {
                fellOutOfDepth.asks.append(BookLevel(price: book.asks[rank].price, size: .zero))
            }
            book.truncate(toDepth: depth)
            if let expected {
                let computed = Checksum.compute(book, precision: precision)
                guard computed == expected else {
                    reset()
                    return .resync(.checksumMismatch(expected: expected, computed: computed))
                }
            }
            isSynced = true
            return .applied
        }
    }
}
