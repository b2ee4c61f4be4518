import AsyncHTTPClient
import Logging

/// KuCoin spot market data: the `bullet-public` token handshake on every connection, tickers,
/// trades and `level2` books synced with the REST snapshot, pings at the server's
/// `pingInterval`, reconnecting with backoff.
public struct KuCoinConnector: ExchangeConnector {
    public var exchange: Exchange { .kucoin }
    private let core: LiveConnector<KuCoin.Session>

    /// - Parameters:
    ///   - configuration: endpoints and topics (production by default).
    ///   - httpClient: the shared client for the token and REST snapshots.
    ///   - random: the jitter source for reconnect waits.
    public init(configuration: KuCoin.ConnectorConfiguration = KuCoin.ConnectorConfiguration(),
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
