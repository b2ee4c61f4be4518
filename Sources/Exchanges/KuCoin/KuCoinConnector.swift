import AsyncHTTPClient
import Logging

/// KuCoin spot market data: the `bullet-public` token handshake on every connection, tickers,
/// trades and `level2` books synced with the REST snapshot, pings at the server's
/// `pingInterval`, reconnecting with backoff.
public typealias KuCoinConnector = LiveExchangeConnector<KuCoin.ConnectorConfiguration>

extension LiveExchangeConnector where Configuration == KuCoin.ConnectorConfiguration {
    /// - Parameters:
    ///   - configuration: endpoints and topics (production by default).
    ///   - httpClient: the shared client for the token and REST snapshots.
    ///   - random: the jitter source for reconnect waits.
    public init(configuration: Configuration = Configuration(), httpClient: HTTPClient = .shared,
                logger: Logger = Logger(label: "chloe.exchanges"),
                random: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()) {
        self.init(KuCoin.Session.self, configuration: configuration, settings: configuration.connection, httpClient: httpClient,
                  logger: logger, random: random)
    }
}
