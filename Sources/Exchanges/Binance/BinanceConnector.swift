import AsyncHTTPClient
import Logging

/// Binance spot market data: tickers, trades and books synced with the REST snapshot, for
/// a changing set of symbols, reconnecting with backoff (and on its own before the 24 h cut).
public struct BinanceConnector: ExchangeConnector {
    public var exchange: Exchange { .binance }
    private let core: LiveConnector<Binance.Session>

    /// - Parameters:
    ///   - configuration: endpoints and streams (production by default).
    ///   - httpClient: the shared client for REST snapshots.
    ///   - random: the jitter source for reconnect waits.
    public init(configuration: Binance.ConnectorConfiguration = Binance.ConnectorConfiguration(),
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
