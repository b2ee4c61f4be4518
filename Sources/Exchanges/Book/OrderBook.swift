/// A price-level order book keyed by exact decimal price.
public struct OrderBook: Sendable, Equatable {
    public private(set) var bids = BookLadder(side: .bid)
    public private(set) var asks = BookLadder(side: .ask)

    public init() {}

    public var bestBid: BookLevel? { bids.best }
    public var bestAsk: BookLevel? { asks.best }

    /// True when the best bid is at or above the best ask: impossible on a live book, so the
    /// book (or the feed) is out of sync.
    public var isCrossed: Bool {
        guard let bid = bids.best, let ask = asks.best else { return false }
        return bid.price >= ask.price
    }

    public var isEmpty: Bool { bids.isEmpty && asks.isEmpty }

    /// Sets one level; size zero removes it. Returns false, changing nothing, for a price the
    /// side cannot represent (see ``BookLadder/set(_:_:)``).
    @discardableResult
    public mutating func set(_ side: BookSide, price: ExactDecimal, size: ExactDecimal) -> Bool {
        switch side {
        case .bid: bids.set(price, size)
        case .ask: asks.set(price, size)
        }
    }

    /// Applies a delta's levels in order. Returns false when a price could not be represented
    /// (the other levels are applied; the book should be rebuilt).
    @discardableResult
    public mutating func apply(_ delta: BookUpdate) -> Bool {
        var accepted = true
        for level in delta.bids where !bids.set(level.price, level.size) { accepted = false }
        for level in delta.asks where !asks.set(level.price, level.size) { accepted = false }
        return accepted
    }

    /// Replaces the whole book with a snapshot. Returns false when a price could not be
    /// represented.
    @discardableResult
    public mutating func replace(with snapshot: BookUpdate) -> Bool {
        let bidsAccepted = bids.replace(with: snapshot.bids)
        let asksAccepted = asks.replace(with: snapshot.asks)
        return bidsAccepted && asksAccepted
    }

    /// Keeps only the best `depth` levels on each side.
    public mutating func truncate(toDepth depth: Int) {
        bids.truncate(toDepth: depth)
        asks.truncate(toDepth: depth)
    }

    public mutating func removeAll() {
        bids.removeAll()
        asks.removeAll()
    }
}
