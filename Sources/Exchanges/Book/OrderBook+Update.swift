extension OrderBook {
    /// Every level of the book, best first on each side, as one snapshot update.
    public var update: BookUpdate {
        BookUpdate(bids: Array(bids), asks: Array(asks))
    }
}
