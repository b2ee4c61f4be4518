/// One normalized thing an exchange told us: market data (ticker, trade, book snapshot or delta)
/// or a connection event (connected, subscribed, heartbeat, error, ...).
///
/// Times are milliseconds since the Unix epoch: `eventTime` by the exchange's clock (nil when
/// the frame carries none), `receiveTime` by ours, so latency is `receiveTime - eventTime`.
public struct MarketEvent: Sendable, Equatable {
    public var exchange: Exchange
    /// The canonical symbol, or nil for connection-wide events.
    public var symbol: CanonicalSymbol?
    /// When the exchange says the event happened, in epoch milliseconds.
    public var eventTime: Int64?
    /// When the frame was received locally, in epoch milliseconds.
    public var receiveTime: Int64
    /// The exchange's sequence number, where it sends one: Binance depth `u`, bookTicker `u`;
    /// Coinbase `sequence_num` (per connection); KuCoin `sequence` / `sequenceEnd`.
    public var sequence: UInt64?
    public var payload: Payload

    public init(exchange: Exchange, symbol: CanonicalSymbol?, eventTime: Int64?, receiveTime: Int64,
                sequence: UInt64? = nil, payload: Payload) {
        self.exchange = exchange
        self.symbol = symbol
        self.eventTime = eventTime
        self.receiveTime = receiveTime
        self.sequence = sequence
        self.payload = payload
    }

    /// What the event says.
    public enum Payload: Sendable, Equatable {
        case ticker(Ticker)
        case trade(Trade)
        /// A full (or top-N) book replacing what was held.
        case bookSnapshot(BookUpdate)
        /// Absolute new sizes for some levels; size zero removes the level.
        case bookDelta(BookUpdate)
        /// A keepalive: a heartbeat message or the answer to our ping.
        case heartbeat(Heartbeat)
        /// The server greeted the connection (KuCoin `welcome`, Kraken `status`).
        case connected(ConnectionInfo)
        /// The exchange acknowledged a subscription request.
        case subscribed(Subscription)
        /// The connection carrying this event's symbol closed (reported by the transport, once
        /// per symbol of that connection; a nil symbol means every symbol of the exchange).
        case disconnected(reason: String)
        /// A book was rebuilt after a gap or checksum failure (reported by the connector).
        case resynced
        /// The server announced it is about to close the connection (Binance `serverShutdown`).
        case serverShutdown
        /// The exchange reported an error.
        case error(ExchangeMessageError)
        /// A well-formed message of a kind that carries no market data (requests echoed back,
        /// unknown channels, new message types): skipped, the connection stays open.
        case other(kind: String)
    }
}
