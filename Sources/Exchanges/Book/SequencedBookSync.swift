/// The diff-stream-plus-REST-snapshot procedure Binance and KuCoin share: buffer numbered
/// deltas, fetch a snapshot, drop what it already holds, apply the rest in order, and start
/// over on a gap. Each message covers sequence numbers `first...last`.
///
/// A snapshot is usable when it reaches at least to just before the first buffered message
/// (`snapshot + 1 ≥ first`), the condition both venues state for the first message applied
/// (Binance: `U ≤ lastUpdateId + 1 ≤ u`). Binance's docs refetch already when
/// `lastUpdateId < U`; accepting `lastUpdateId == U - 1` too is equally safe and saves a
/// snapshot request (weight 50 for 1000 levels).
struct SequencedBookSync: Sendable {
    private struct Message: Sendable {
        var update: BookUpdate
        var first: UInt64
        var last: UInt64
    }

    private enum State: Sendable {
        case idle
        case buffering([Message])
        case synced(last: UInt64)
    }

    private(set) var book = OrderBook()
    private var state = State.idle
    private let maximumBuffered: Int

    init(maximumBuffered: Int) {
        self.maximumBuffered = maximumBuffered
    }

    /// The last sequence number applied, once in sync.
    var lastSequence: UInt64? {
        if case let .synced(last) = state { last } else { nil }
    }

    /// A delta covering `update.firstSequence ... last` (a single number when no first is sent).
    mutating func receiveDelta(_ update: BookUpdate, last: UInt64) -> BookSyncAction {
        let message = Message(update: update, first: update.firstSequence ?? last, last: last)
        switch state {
        case .idle:
            state = .buffering([message])
            return .fetchSnapshot
        case var .buffering(buffer):
            guard buffer.count < maximumBuffered else {
                state = .buffering([message])
                return .resync(.bufferOverflow(limit: maximumBuffered))
            }
            state = .idle  // release the buffer so the append below does not copy it
            buffer.append(message)
            state = .buffering(buffer)
            return .none
        case let .synced(local):
            return apply(message, after: local)
        }
    }

    /// A snapshot whose content is complete up to `sequence`.
    mutating func receiveSnapshot(_ snapshot: BookUpdate, sequence: UInt64) -> BookSyncAction {
        switch state {
        case .synced:
            return .none
        case .idle:
            guard book.replace(with: snapshot) else { return .resync(.unrepresentablePrice) }
            state = .synced(last: sequence)
            return .applied
        case let .buffering(buffer):
            if sequence &+ 1 < buffer[0].first { return .fetchSnapshot }
            guard book.replace(with: snapshot) else {
                book.removeAll()
                return .resync(.unrepresentablePrice)
            }
            state = .synced(last: sequence)
            for (k, message) in buffer.enumerated() {
                guard case let .synced(local) = state else { break }
                if case let .resync(problem) = apply(message, after: local) {
                    state = .buffering(Array(buffer[k...]))
                    return .resync(problem)
                }
            }
            return .applied
        }
    }

    /// Forgets the book and everything buffered (after a reconnect).
    mutating func reset() {
        book.removeAll()
        state = .idle
    }

    private mutating func apply(_ message: Message, after local: UInt64) -> BookSyncAction {
        if message.last <= local { return .discardedStale }
        guard message.first <= local + 1 else {
            book.removeAll()
            state = .buffering([message])
            return .resync(.gap(expected: local + 1, received: message.first))
        }
        var accepted = true
        if message.first <= local {
            // Overlaps the book: skip changes it already holds (KuCoin numbers each change).
            for level in message.update.bids where (level.sequence ?? .max) > local {
                accepted = book.set(.bid, price: level.price, size: level.size) && accepted
            }
            for level in message.update.asks where (level.sequence ?? .max) > local {
                accepted = book.set(.ask, price: level.price, size: level.size) && accepted
            }
        } else {
            accepted = book.apply(message.update)
        }
        guard accepted else {
            book.removeAll()
            state = .buffering([message])
            return .resync(.unrepresentablePrice)
        }
        state = .synced(last: message.last)
        return .applied
    }
}
