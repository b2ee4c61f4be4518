import AsyncHTTPClient
import Logging

/// Coinbase Advanced Trade market data: tickers, trades and `level2` books, with the
/// connection-wide `sequence_num` checked on every frame, reconnecting with backoff.
public typealias CoinbaseConnector = LiveExchangeConnector<Coinbase.ConnectorConfiguration>

extension LiveExchangeConnector where Configuration == Coinbase.ConnectorConfiguration {
    /// - Parameters:
    ///   - configuration: endpoint and channels (production by default).
    ///   - httpClient: unused by Coinbase (books come over the socket); kept for symmetry.
    ///   - random: the jitter source for reconnect waits.
    public init(configuration: Configuration = Configuration(), httpClient: HTTPClient = .shared,
                logger: Logger = Logger(label: "chloe.exchanges"),
                random: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()) {
        self.init(Coinbase.Session.self, configuration: configuration, settings: configuration.connection, httpClient: httpClient,
                  logger: logger, random: random)
    }
}
