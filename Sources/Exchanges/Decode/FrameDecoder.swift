/// Decodes raw frames of any of the four exchanges, one JSON document at a time, into
/// ``MarketEvent``s or ``NormalizedJSON`` lines: the engine behind
/// `chloe decode --exchange binance|coinbase|kraken|kucoin`.
public struct FrameDecoder: Sendable {
    public let exchange: Exchange
    private var decoder: any MarketDecoder

    /// A decoder for `exchange`'s frames; nil for the simulated exchange, which has no wire format.
    public init?(exchange: Exchange) {
        self.exchange = exchange
        switch exchange {
        case .binance: decoder = Binance.MessageDecoder()
        case .coinbase: decoder = Coinbase.MessageDecoder()
        case .kraken: decoder = Kraken.MessageDecoder()
        case .kucoin: decoder = KuCoin.MessageDecoder()
        case .sim: return nil
        }
    }

    /// The events in one frame (zero or more); throws with the exchange and reason when the
    /// frame is malformed.
    public mutating func events(in frame: [UInt8], receivedAt: Int64 = 0) throws(ExchangeDecodeError) -> [MarketEvent] {
        try decoder.decode(frame, receivedAt: receivedAt)
    }

    /// One normalized JSON line (without newline) per event in the frame.
    public mutating func normalizedLines(for frame: [UInt8], receivedAt: Int64 = 0) throws(ExchangeDecodeError) -> [String] {
        try events(in: frame, receivedAt: receivedAt).map(NormalizedJSON.line(for:))
    }

    /// One normalized JSON line (without newline) per event in the frame.
    public mutating func normalizedLines(for frame: String, receivedAt: Int64 = 0) throws(ExchangeDecodeError) -> [String] {
        try normalizedLines(for: Array(frame.utf8), receivedAt: receivedAt)
    }
}
