import AsyncHTTPClient
import Logging

/// Coinbase Advanced Trade market data: tickers, trades and `level2` books, with the
/// connection-wide `sequence_num` checked on every frame, reconnecting with backoff.
public struct CoinbaseConnector: ExchangeConnector {
    public var exchange: Exchange { .coinbase }
    private let core: LiveConnector<Coinbase.Session>

    /// - Parameters:
    ///   - configuration: endpoint and channels (production by default).
    ///   - httpClient: unused by Coinbase (books come over the socket); kept for symmetry.
    ///   - random: the jitter source for reconnect waits.
    public init(configuration: Coinbase.ConnectorConfiguration = Coinbase.ConnectorConfiguration(),
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
