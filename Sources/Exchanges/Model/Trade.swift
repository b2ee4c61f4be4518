/// One trade, with the side of the taker (the order that crossed the spread).
public struct Trade: Sendable, Equatable {
    public var price: ExactDecimal
    public var size: ExactDecimal
    public var takerSide: TradeSide
    /// The exchange's trade id as text (numeric on Binance and Kraken, hex on KuCoin).
    public var id: String

    public init(price: ExactDecimal, size: ExactDecimal, takerSide: TradeSide, id: String) {
        self.price = price
        self.size = size
        self.takerSide = takerSide
        self.id = id
    }
}

/// The taker's side of a trade: `buy` lifted an ask, `sell` hit a bid.
public enum TradeSide: String, Sendable, Equatable {
    case buy
    case sell

    /// The other side (a maker's side to the taker's).
    public var opposite: TradeSide { self == .buy ? .sell : .buy }
}
