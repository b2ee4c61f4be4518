/// A book state machine synced from a diff stream and a REST snapshot (Binance, KuCoin).
protocol SnapshotSyncedBook: Sendable {
    init()
    var book: OrderBook { get }
    var isSynced: Bool { get }
    /// The sequence the book is at, once in sync.
    var sequence: UInt64? { get }
    mutating func receiveDelta(_ delta: BookUpdate, last: UInt64) -> BookSyncAction
    mutating func receiveSnapshot(_ snapshot: BookUpdate, sequence: UInt64) -> BookSyncAction
}

/// The books of one connection for venues that sync from a REST snapshot: routes deltas and
/// snapshots to each symbol's machine and turns its actions into events, snapshot requests
/// and feed-health incidents. Once a book is in sync the sink gets the whole book as one
/// `bookSnapshot`, then every applied delta.
struct SnapshotSyncedBooks<Machine: SnapshotSyncedBook>: Sendable {
    private var machines: [CanonicalSymbol: Machine] = [:]

    mutating func add(_ symbol: CanonicalSymbol) {
        if machines[symbol] == nil { machines[symbol] = Machine() }
    }

    mutating func remove(_ symbol: CanonicalSymbol) { machines[symbol] = nil }

    /// `symbol`'s book, when it is in sync.
    func book(for symbol: CanonicalSymbol) -> OrderBook? {
        guard let machine = machines[symbol], machine.isSynced else { return nil }
        return machine.book
    }

    /// A decoded delta event (`sequence` = its last sequence number).
    mutating func receiveDelta(_ event: MarketEvent, _ delta: BookUpdate, into output: inout SessionOutput) {
        guard let symbol = event.symbol, let last = event.sequence, var machine = machines[symbol] else { return }
        machines[symbol] = nil  // edit in place, without a copy of the book
        let action = machine.receiveDelta(delta, last: last)
        switch action {
        case .applied:
            output.emit(event)
            if machine.book.isCrossed { output.record(.crossedBook, for: symbol) }
        default:
            handle(action, symbol, machine, event, into: &output)
        }
        machines[symbol] = machine
    }

    /// A REST snapshot (its `sequence` = the update id it is complete up to).
    mutating func receiveSnapshot(_ event: MarketEvent, _ snapshot: BookUpdate, for symbol: CanonicalSymbol,
                                  into output: inout SessionOutput) {
        guard let sequence = event.sequence, var machine = machines[symbol] else { return }
        machines[symbol] = nil
        let action = machine.receiveSnapshot(snapshot, sequence: sequence)
        handle(action, symbol, machine, event, into: &output)
        machines[symbol] = machine
    }

    private func handle(_ action: BookSyncAction, _ symbol: CanonicalSymbol, _ machine: Machine, _ cause: MarketEvent,
                        into output: inout SessionOutput) {
        switch action {
        case .none:
            break
        case .fetchSnapshot:
            output.requestSnapshot(symbol)
        case .applied:
            // Synced from a snapshot: the whole book, at the sequence it reached.
            output.emit(MarketEvent(exchange: cause.exchange, symbol: symbol, eventTime: cause.eventTime, receiveTime: cause.receiveTime,
                                    sequence: machine.sequence, payload: .bookSnapshot(machine.book.update)))
            output.setBook(symbol, inSync: true)
            if machine.book.isCrossed { output.record(.crossedBook, for: symbol) }
        case .discardedStale:
            output.record(.outOfOrder, for: symbol)
        case let .resync(problem):
            output.resync(symbol, problem)
            output.requestSnapshot(symbol)
        }
    }
}
