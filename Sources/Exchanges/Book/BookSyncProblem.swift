/// Why a book had to be rebuilt.
public struct BookSyncProblem: Sendable, Equatable, CustomStringConvertible {
    private enum Kind: Sendable, Equatable {
        case gap(expected: UInt64, received: UInt64)
        case checksumMismatch(expected: UInt32, computed: UInt32)
        case bufferOverflow(limit: Int)
        case unrepresentablePrice
    }

    private let kind: Kind

    /// The next message did not start where the book ended.
    public static func gap(expected: UInt64, received: UInt64) -> BookSyncProblem {
        BookSyncProblem(kind: .gap(expected: expected, received: received))
    }

    /// The exchange's checksum of the top of the book disagrees with ours.
    public static func checksumMismatch(expected: UInt32, computed: UInt32) -> BookSyncProblem {
        BookSyncProblem(kind: .checksumMismatch(expected: expected, computed: computed))
    }

    /// More messages were buffered while waiting for a snapshot than the limit allows.
    public static func bufferOverflow(limit: Int) -> BookSyncProblem {
        BookSyncProblem(kind: .bufferOverflow(limit: limit))
    }

    /// A price too far from the book's others to key exactly (more than 18 digits apart):
    /// garbage, treated as a rejected price spike.
    public static var unrepresentablePrice: BookSyncProblem {
        BookSyncProblem(kind: .unrepresentablePrice)
    }

    /// The feed-health counter this problem belongs to.
    public var incident: FeedIncident {
        switch kind {
        case .gap, .bufferOverflow: .gap
        case .checksumMismatch: .checksumFailure
        case .unrepresentablePrice: .priceSpikeRejected
        }
    }

    public var description: String {
        switch kind {
        case let .gap(expected, received):
            "sequence gap: expected \(expected), received \(received)"
        case let .checksumMismatch(expected, computed):
            "checksum mismatch: exchange sent \(expected), book gives \(computed)"
        case let .bufferOverflow(limit):
            "more than \(limit) messages buffered while waiting for a snapshot"
        case .unrepresentablePrice:
            "a price too far from the book's other prices to key exactly"
        }
    }
}
