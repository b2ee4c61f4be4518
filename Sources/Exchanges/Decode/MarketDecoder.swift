/// Turns one exchange's raw frames into normalized ``MarketEvent``s.
///
/// A decoder keeps scratch storage between frames (token buffer, symbol cache), so decoding
/// allocates nothing for tickers and trades after warm-up. One decoder per connection.
public protocol MarketDecoder: Sendable {
    /// The exchange whose frames this decodes.
    var exchange: Exchange { get }

    /// Decodes one frame (one JSON document) and appends its events to `events`: none for an
    /// empty batch, several for a batch of trades. Valid JSON of a kind the decoder does not
    /// know becomes ``MarketEvent/Payload/other(kind:)``; malformed JSON and known messages with
    /// missing or mistyped fields throw.
    mutating func decode(_ frame: UnsafeRawBufferPointer, receivedAt: Int64,
                         into events: inout [MarketEvent]) throws(ExchangeDecodeError)
}

extension MarketDecoder {
    /// Decodes one frame into a new array of events.
    public mutating func decode(_ frame: [UInt8], receivedAt: Int64) throws(ExchangeDecodeError) -> [MarketEvent] {
        var events: [MarketEvent] = []
        let result = frame.withUnsafeBytes { bytes in
            Result { () throws(ExchangeDecodeError) in try decode(bytes, receivedAt: receivedAt, into: &events) }
        }
        try result.get()
        return events
    }
}

/// What the four exchange decoders share: a reusable token tape and a document reader.
protocol DocumentDecoder: MarketDecoder {
    var tape: JSONTape { get set }

    /// Decodes a tokenized frame.
    mutating func decode(_ document: JSONDocument, receivedAt: Int64, into events: inout [MarketEvent]) throws(FieldError)
}

extension DocumentDecoder {
    /// Tokenizes `frame` and decodes it, turning JSON and field errors into
    /// ``ExchangeDecodeError``s for this decoder's exchange.
    mutating func decodeFrame(_ frame: UnsafeRawBufferPointer, receivedAt: Int64,
                              into events: inout [MarketEvent]) throws(ExchangeDecodeError) {
        // Borrow the tape out of `self`, so the decoder can mutate itself while reading it.
        var tape = JSONTape()
        swap(&tape, &self.tape)
        defer { swap(&tape, &self.tape) }
        do {
            try tape.parse(frame)
        } catch {
            throw ExchangeDecodeError(exchange, error)
        }
        let eventCount = events.count
        do {
            try tape.withDocument(frame) { (document) throws(FieldError) in
                try decode(document, receivedAt: receivedAt, into: &events)
            }
        } catch {
            events.removeSubrange(eventCount...)  // no half-decoded frames
            throw ExchangeDecodeError(exchange, error)
        }
    }
}
