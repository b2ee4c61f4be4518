/// A source of normalized market events for a changing set of symbols: a live exchange
/// connection (WebSocket + REST) or the simulated exchange.
///
/// `run(sink:)` owns the connection for its whole life: it connects, subscribes to every symbol
/// asked for, keeps books in sync, reconnects with backoff after failures, and returns only
/// when its task is cancelled. Symbols can be added and removed while it runs; one symbol's
/// trouble never ends another's subscription.
public protocol ExchangeConnector: Sendable {
    /// The venue (or `.sim`) this connector speaks to.
    var exchange: Exchange { get }

    /// Runs until the calling task is cancelled, delivering every event to `sink` in order.
    /// Throws only for problems that retrying cannot fix (a configuration error).
    func run(sink: any MarketEventSink) async throws

    /// Starts receiving `symbols` (already-subscribed ones are ignored).
    func subscribe(_ symbols: [CanonicalSymbol]) async throws

    /// Stops receiving `symbols` (unknown ones are ignored).
    func unsubscribe(_ symbols: [CanonicalSymbol]) async throws

    /// The symbols currently asked for.
    func symbols() async -> [CanonicalSymbol]

    /// Feed health of every subscribed symbol, as of now.
    func health() async -> [CanonicalSymbol: FeedHealth]
}
