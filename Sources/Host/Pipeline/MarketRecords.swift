import Exchanges

/// One ticker as the pipeline keeps it. Fields the exchange did not send are NaN (keeps the
/// record at 48 bytes in the ring).
public struct RecentTick: Sendable, Hashable, Codable {
    /// Exchange event time (receive time when none), epoch ms.
    public var time: Int64
    public var last: Double
    public var bid: Double
    public var ask: Double
    public var bidSize: Double
    public var askSize: Double

    public init(time: Int64, last: Double = .nan, bid: Double = .nan, ask: Double = .nan, bidSize: Double = .nan, askSize: Double = .nan) {
        self.time = time
        self.last = last
        self.bid = bid
        self.ask = ask
        self.bidSize = bidSize
        self.askSize = askSize
    }

    static let empty = RecentTick(time: 0)
}

/// One trade as the pipeline keeps it.
public struct RecentTrade: Sendable, Hashable, Codable {
    /// Exchange event time (receive time when none), epoch ms.
    public var time: Int64
    public var price: Double
    public var size: Double
    /// The taker's side: true for a buy.
    public var takerBuys: Bool

    public init(time: Int64, price: Double, size: Double, takerBuys: Bool) {
        self.time = time
        self.price = price
        self.size = size
        self.takerBuys = takerBuys
    }

    static let empty = RecentTrade(time: 0, price: 0, size: 0, takerBuys: true)
}

/// The best level each side of a symbol's book.
public struct BookTop: Sendable, Hashable, Codable {
    public var bid: Double?
    public var bidSize: Double?
    public var ask: Double?
    public var askSize: Double?

    public init(bid: Double? = nil, bidSize: Double? = nil, ask: Double? = nil, askSize: Double? = nil) {
        self.bid = bid
        self.bidSize = bidSize
        self.ask = ask
        self.askSize = askSize
    }

    /// (bid size − ask size) / (bid size + ask size) at the touch, nil without both sizes.
    public var imbalance: Double? {
        guard let b = bidSize, let a = askSize, a + b > 0 else { return nil }
        return (b - a) / (b + a)
    }
}
