import AsyncHTTPClient
import Logging

/// Kraken spot WebSocket v2 market data: tickers, trades and books whose CRC32 is checked
/// after every message (at the pair's precision from the `instrument` channel), app-level
/// pings, reconnecting with backoff.
public typealias KrakenConnector = LiveExchangeConnector<Kraken.ConnectorConfiguration>

extension LiveExchangeConnector where Configuration == Kraken.ConnectorConfiguration {
    /// - Parameters:
    ///   - configuration: endpoint and channels (production by default).
    ///   - httpClient: unused by Kraken (books come over the socket); kept for symmetry.
    ///   - random: the jitter source for reconnect waits.
    public init(configuration: Configuration = Configuration(), httpClient: HTTPClient = .shared,
                logger: Logger = Logger(label: "chloe.exchanges"),
                random: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()) {
        self.init(Kraken.Session.self, configuration: configuration, settings: configuration.connection, httpClient: httpClient,
                  logger: logger, random: random)
    }
}
