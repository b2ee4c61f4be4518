import AsyncHTTPClient
import Logging

/// Kraken spot WebSocket v2 market data: tickers, trades and books whose CRC32 is checked
/// after every message (at the pair's precision from the `instrument` channel), app-level
/// pings, reconnecting with backoff.
public struct KrakenConnector: ExchangeConnector {
    public var exchange: Exchange { .kraken }
    private let core: LiveConnector<Kraken.Session>

    /// - Parameters:
    ///   - configuration: endpoint and channels (production by default).
    ///   - httpClient: unused by Kraken (books come over the socket); kept for symmetry.
    ///   - random: the jitter source for reconnect waits.
    public init(configuration: Kraken.ConnectorConfiguration = Kraken.ConnectorConfiguration(),
                httpClient: HTTPClient = .shared, logger: Logger = Logger(label: "chloe.exchanges"),
                random: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()) {
        core = LiveConnector(configuration: configuration, settings: configuration.connection, httpClient: httpClient,
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
