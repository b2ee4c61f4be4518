import AsyncHTTPClient
import Logging

/// Binance spot market data: tickers, trades and books synced with the REST snapshot, for
/// a changing set of symbols, reconnecting with backoff (and on its own before the 24 h cut).
public typealias BinanceConnector = LiveExchangeConnector<Binance.ConnectorConfiguration>

extension LiveExchangeConnector where Configuration == Binance.ConnectorConfiguration {
    /// - Parameters:
    ///   - configuration: endpoints and streams (production by default).
    ///   - httpClient: the shared client for REST snapshots.
    ///   - random: the jitter source for reconnect waits.
    public init(configuration: Configuration = Configuration(), httpClient: HTTPClient = .shared,
                logger: Logger = Logger(label: "chloe.exchanges"),
                random: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()) {
        self.init(Binance.Session.self, configuration: configuration, settings: configuration.connection, httpClient: httpClient,
                  logger: logger, random: random)
    }
}
