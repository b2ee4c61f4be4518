import Exchanges

/// A market event as a shard's queue carries it: tickers and trades flattened to the numbers
/// the pipeline reads (prices and sizes as `Double`, missing ticker fields NaN, the exchange's
/// time resolved), anything else boxed, and the symbol replaced by the slot of its processor on
/// the shard (resolved once by the router: the shard indexes an array, no hashing). 80 bytes, less
/// than half a `MarketEvent`, so the shard reads fewer cache lines its producer wrote on another
/// core, and moving one in and out of the queue copies no strings or optionals.
struct ShardEvent: Sendable {
    /// What the event says, as the shard's processors read it.
    enum Payload: Sendable {
        /// A trade: price, size, and whether the taker bought.
        case trade(price: Double, size: Double, takerBuys: Bool)
        /// A ticker; fields the exchange did not send are NaN.
        case ticker(last: Double, bid: Double, ask: Double, bidSize: Double, askSize: Double)
        /// Any other event (book snapshots and deltas, connection events), whole.
        case other(MarketEventBox)
    }

    /// The slot of the symbol's processor on its shard (``broadcast``: a connection-wide event).
    var slot: UInt32
    /// The slot's generation when the router resolved the symbol: a slot freed by a stop and
    /// given to another symbol has a new one, so a late event of the old symbol is not applied
    /// to the new.
    var generation: UInt32
    /// Monotonic ns when the event entered the router.
    var enqueued: UInt64
    /// The exchange's time of the event, epoch ms (its receive time when the exchange sent none).
    var eventTime: Int64
    /// When the frame was received locally, epoch ms.
    var receiveTime: Int64
    var payload: Payload

    /// ``slot`` of an event for every symbol of a connection (no symbol).
    static let broadcast = UInt32.max

    @inline(__always)
    init(_ event: MarketEvent, slot: UInt32, generation: UInt32, enqueued: UInt64) {
        self.slot = slot
        self.generation = generation
        self.enqueued = enqueued
        eventTime = event.eventTime ?? event.receiveTime
        receiveTime = event.receiveTime
        switch event.payload {
        case .trade(let trade):
            payload = .trade(price: trade.price.doubleValue, size: trade.size.doubleValue, takerBuys: trade.takerSide == .buy)
        case .ticker(let ticker):
            payload = .ticker(last: ticker.last?.doubleValue ?? .nan, bid: ticker.bid?.doubleValue ?? .nan,
                              ask: ticker.ask?.doubleValue ?? .nan, bidSize: ticker.bidSize?.doubleValue ?? .nan,
                              askSize: ticker.askSize?.doubleValue ?? .nan)
        default:
            payload = .other(MarketEventBox(event))
        }
    }

    /// A trade no feed sent: a shard's close rehearsal (``CloseRehearsal``), at `time` (feed
    /// time and receive time, ms).
    init(trade price: Double, size: Double, time: Int64, enqueued: UInt64) {
        slot = 0
        generation = 0
        self.enqueued = enqueued
        eventTime = time
        receiveTime = time
        payload = .trade(price: price, size: size, takerBuys: true)
    }
}

/// A market event other than a ticker or trade, on its way through a shard's queue.
final class MarketEventBox: Sendable {
    let event: MarketEvent

    init(_ event: MarketEvent) {
        self.event = event
    }
}
