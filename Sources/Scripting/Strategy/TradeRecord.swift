/// One trade as strategies see it in `ctx.trades(n)`.
public struct TradeRecord: Sendable, Hashable {
    /// Which side took liquidity.
    public enum Side: Sendable, Hashable {
        case buy
        case sell
    }

    public var price: Double
    public var size: Double
    public var side: Side
    /// Exchange time, epoch milliseconds.
    public var time: Int64

    public init(price: Double, size: Double, side: Side, time: Int64) {
        self.price = price
        self.size = size
        self.side = side
        self.time = time
    }
}
