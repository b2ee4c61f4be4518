import AsyncHTTPClient
import Logging

/// A live exchange's connector: the venue's session (chosen by `Configuration`, the venue's
/// `ConnectorConfiguration`) run by the shared transport — reconnects with backoff, feed
/// health, books, more connections past a venue's per-connection limit. It is used through
/// its names ``BinanceConnector``, ``CoinbaseConnector``, ``KrakenConnector`` and
/// ``KuCoinConnector``, each with its own initializer.
public struct LiveExchangeConnector<Configuration: Sendable>: ExchangeConnector {
    public let exchange: Exchange
    private let core: any ConnectorCore

    init<Session: VenueSession>(_ session: Session.Type, configuration: Session.Configuration, settings: ConnectionSettings,
                                httpClient: HTTPClient, logger: Logger, random: some RandomNumberGenerator & Sendable)
    where Session.Configuration == Configuration {
        exchange = Session.exchange
        core = LiveConnector<Session>(configuration: configuration, settings: settings, httpClient: httpClient,
                                      logger: logger, random: random)
    }

    public func run(sink: any MarketEventSink) async throws { await core.run(sink: sink) }
    public func subscribe(_ symbols: [CanonicalSymbol]) async throws { core.subscribe(symbols) }
    public func unsubscribe(_ symbols: [CanonicalSymbol]) async throws { core.unsubscribe(symbols) }
    public func symbols() async -> [CanonicalSymbol] { core.symbols() }
    public func health() async -> [CanonicalSymbol: FeedHealth] { core.health() }

    /// `symbol`'s book as of the events delivered so far (for a consumer that joins late), or
    /// nil when books are off, the symbol is not subscribed, or its book is not in sync.
    public func book(for symbol: CanonicalSymbol) async -> OrderBook? { await core.book(for: symbol) }
}

/// What ``LiveExchangeConnector`` asks of the ``LiveConnector`` of its session.
protocol ConnectorCore: Sendable {
    func run(sink: any MarketEventSink) async
    func subscribe(_ symbols: [CanonicalSymbol])
    func unsubscribe(_ symbols: [CanonicalSymbol])
    func symbols() -> [CanonicalSymbol]
    func health() -> [CanonicalSymbol: FeedHealth]
    func book(for symbol: CanonicalSymbol) async -> OrderBook?
}

extension LiveConnector: ConnectorCore {}
