import Exchanges
import Foundation

/// A sink that keeps every event and rebuilds each symbol's book from the `bookSnapshot` and
/// `bookDelta` events alone, so tests check what a consumer of the stream would hold.
final class RecordingSink: MarketEventSink, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [MarketEvent] = []
    private var books: [CanonicalSymbol: OrderBook] = [:]

    func receive(_ event: MarketEvent) {
        lock.lock()
        defer { lock.unlock() }
        recorded.append(event)
        guard let symbol = event.symbol else { return }
        switch event.payload {
        case let .bookSnapshot(snapshot):
            var book = OrderBook()
            book.replace(with: snapshot)
            books[symbol] = book
        case let .bookDelta(delta):
            books[symbol]?.apply(delta)
        default:
            break
        }
    }

    var events: [MarketEvent] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    /// The book rebuilt from the events, cut to `depth` levels when given (Kraken).
    func book(_ symbol: CanonicalSymbol, depth: Int? = nil) -> OrderBook? {
        lock.lock()
        defer { lock.unlock() }
        guard var book = books[symbol] else { return nil }
        if let depth { book.truncate(toDepth: depth) }
        return book
    }

    /// The reasons of every `disconnected` event.
    var disconnectReasons: [String] {
        events.compactMap { event in
            if case let .disconnected(reason) = event.payload { reason } else { nil }
        }
    }

    /// How many events satisfy `match`.
    func count(where match: (MarketEvent) -> Bool) -> Int { events.filter(match).count }

    /// Waits (polling every few ms) until `condition` holds for the events; throws naming
    /// `what` after `timeout`.
    func waitUntil(_ what: String, timeout: Duration = .seconds(5),
                   _ condition: ([MarketEvent]) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition(events) {
            guard ContinuousClock.now < deadline else {
                throw TimedOut(description: "timed out waiting for \(what); last events: \(events.suffix(6).map(\.payload.name))")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Waits until `count` events satisfy `match`.
    func waitFor(_ what: String, count: Int = 1, timeout: Duration = .seconds(5),
                 _ match: @escaping (MarketEvent) -> Bool) async throws {
        try await waitUntil(what, timeout: timeout) { $0.filter(match).count >= count }
    }
}

struct TimedOut: Error, CustomStringConvertible {
    let description: String
}

/// Transport settings that make tests fast: short backoff and timer ticks.
func fastSettings(spikeFilter: PriceSpikeFilter.Configuration? = PriceSpikeFilter.Configuration()) -> ConnectionSettings {
    ConnectionSettings(backoff: ReconnectBackoff.Configuration(initial: .milliseconds(10), maximum: .milliseconds(50)),
                       priceSpikeFilter: spikeFilter, tickInterval: .milliseconds(10),
                       snapshotRetryDelay: .milliseconds(20), requestTimeout: .seconds(5))
}

/// Runs `connector` with `symbols` subscribed for the duration of `body`, then stops it.
func running<C: ExchangeConnector>(_ connector: C, _ symbols: [CanonicalSymbol],
                                   _ body: (RecordingSink) async throws -> Void) async throws {
    let sink = RecordingSink()
    try await connector.subscribe(symbols)
    let task = Task { try await connector.run(sink: sink) }
    do {
        try await body(sink)
    } catch {
        task.cancel()
        _ = await task.result
        throw error
    }
    task.cancel()
    _ = await task.result
}

/// A fixture's text.
func fixtureText(_ exchange: Exchange, _ prefix: String) throws -> String {
    String(decoding: try Fixture.named(exchange, prefix), as: UTF8.self)
}

extension MarketEvent {
    func isBook(_ symbol: CanonicalSymbol, snapshot: Bool, sequence: UInt64? = nil) -> Bool {
        guard self.symbol == symbol, sequence == nil || self.sequence == sequence else { return false }
        switch payload {
        case .bookSnapshot: return snapshot
        case .bookDelta: return !snapshot
        default: return false
        }
    }

    var isResynced: Bool { if case .resynced = payload { true } else { false } }
    var isDisconnected: Bool { if case .disconnected = payload { true } else { false } }
    var isHeartbeat: Bool { if case .heartbeat = payload { true } else { false } }
}
