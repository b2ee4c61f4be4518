/// The levels of a book snapshot or delta, bids and asks each in the order the exchange sent
/// them. In a delta every size is the level's new absolute size; zero removes the level.
public struct BookUpdate: Sendable, Equatable {
    public var bids: [BookLevel]
    public var asks: [BookLevel]
    /// The first sequence number the delta covers, when the exchange sends a range
    /// (Binance `U`, KuCoin `sequenceStart`); the last is the event's `sequence`.
    public var firstSequence: UInt64?
    /// Kraken's CRC32 of the top ten levels after this message.
    public var checksum: UInt32?

    public init(bids: [BookLevel] = [], asks: [BookLevel] = [], firstSequence: UInt64? = nil, checksum: UInt32? = nil) {
        self.bids = bids
        self.asks = asks
        self.firstSequence = firstSequence
        self.checksum = checksum
    }
}

/// One price level.
public struct BookLevel: Sendable, Equatable {
    public var price: ExactDecimal
    public var size: ExactDecimal
    /// The exchange's sequence number of this one change (KuCoin level2 only), used to skip
    /// changes a snapshot already contains.
    public var sequence: UInt64?

    public init(price: ExactDecimal, size: ExactDecimal, sequence: UInt64? = nil) {
        self.price = price
        self.size = size
        self.sequence = sequence
    }
}

/// A side of the book.
public enum BookSide: String, Sendable, Equatable {
    case bid
    case ask
}
