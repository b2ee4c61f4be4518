/// One trade of a recorded trade file (`time,id,side,price,amount`), for the simulated
/// exchange to replay.
public struct RecordedTrade: Sendable, Equatable {
    /// Epoch milliseconds.
    public var time: Int64
    public var id: String
    public var takerSide: TradeSide
    public var price: ExactDecimal
    public var size: ExactDecimal

    public init(time: Int64, id: String, takerSide: TradeSide, price: ExactDecimal, size: ExactDecimal) {
        self.time = time
        self.id = id
        self.takerSide = takerSide
        self.price = price
        self.size = size
    }
}
