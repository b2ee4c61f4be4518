/// Best bid/ask and last price. Fields the exchange does not send are nil (Binance
/// `bookTicker` has no last price; KuCoin's ticker has no 24 h volume).
public struct Ticker: Sendable, Equatable {
    public var last: ExactDecimal?
    public var bid: ExactDecimal?
    public var bidSize: ExactDecimal?
    public var ask: ExactDecimal?
    public var askSize: ExactDecimal?
    /// Base-asset volume over the last 24 hours, when sent.
    public var volume24h: ExactDecimal?

    public init(last: ExactDecimal? = nil, bid: ExactDecimal? = nil, bidSize: ExactDecimal? = nil,
                ask: ExactDecimal? = nil, askSize: ExactDecimal? = nil, volume24h: ExactDecimal? = nil) {
        self.last = last
        self.bid = bid
        self.bidSize = bidSize
        self.ask = ask
        self.askSize = askSize
        self.volume24h = volume24h
    }
}
