/// Something that went wrong on a feed, counted by ``FeedHealth``.
public enum FeedIncident: String, Sendable, CaseIterable {
    /// A sequence number was skipped.
    case gap
    /// A book checksum did not match.
    case checksumFailure
    /// A book was rebuilt.
    case resync
    /// The connection was re-established.
    case reconnect
    /// The connection was closed because nothing arrived within the venue's silence timeout
    /// (counted together with the ``reconnect`` that follows).
    case silence
    /// A frame could not be decoded.
    case decodeError
    /// The book's best bid reached its best ask.
    case crossedBook
    /// A message older than what was already applied arrived.
    case outOfOrder
    /// A price too far from the last good one was rejected.
    case priceSpikeRejected

    /// How much one occurrence lowers the quality score (before decay).
    var weight: Double {
        switch self {
        case .gap, .checksumFailure, .reconnect, .crossedBook: 1
        case .resync, .silence: 0.5
        case .decodeError, .outOfOrder, .priceSpikeRejected: 0.25
        }
    }
}
