import Exchanges
import Foundation
import Logging

/// One connector per configured feed. The `sim` feed replays the candle files of its
/// `samples` folder (default `samples/candles`), shifted by whole days so the replay starts
/// within the last day, at `speed` (default `600`: a 5-minute candle every half second, so
/// the example strategies warm up and signal within seconds), and loops (`loop: false` idles
/// at the end instead). Live exchanges use their production endpoints unless `websocket_url` /
/// `rest_url` say otherwise, and take `tickers`, `trades`, `books`, `depth` and
/// `silence_timeout_s` (docs/configuration.md).
enum DaemonFeeds {
    static let defaultSpeed = "600"
    /// Simulated time without events that the sim feed skips rather than waits through (the
    /// loop back to the samples' start, holes in the data): 10 minutes.
    static let skippedGap: Int64 = 600_000

    static func connector(for feed: FeedSettings, logger: Logger,
                          now: Int64 = Int64(Date.now.timeIntervalSince1970 * 1000)) throws -> any ExchangeConnector {
        var options = FeedOptions(feed)
        let connector: any ExchangeConnector
        switch feed.exchange {
        case .sim: connector = try simulated(&options, now: now)
        case .binance: connector = BinanceConnector(configuration: try binance(&options), logger: logger)
        case .coinbase: connector = CoinbaseConnector(configuration: try coinbase(&options), logger: logger)
        case .kraken: connector = KrakenConnector(configuration: try kraken(&options), logger: logger)
        case .kucoin: connector = KuCoinConnector(configuration: try kucoin(&options), logger: logger)
        }
        try options.rejectUnknown()
        return connector
    }

    static func simulated(_ options: inout FeedOptions, now: Int64) throws -> SimulatedExchange {
        let speedText = options.text("speed") ?? defaultSpeed
        guard let speed = SimulatedSpeed(speedText) else {
            throw ConfigurationError(keyPath: "feeds.options.speed", location: "configuration",
                                     message: "'\(speedText)' is not a speed; use realtime, max or a factor such as 600")
        }
        let loop = try options.flag("loop") ?? true
        let directory = options.text("samples") ?? "samples/candles"
        try options.rejectUnknown()
        let sources: [CanonicalSymbol: SimulatedSource]
        do {
            sources = try ReplaySources.candleDirectory(directory)
        } catch {
            throw ConfigurationError(keyPath: "feeds.options.samples", location: directory, message: "cannot read the sample candles: \(error)")
        }
        return SimulatedExchange(sources: sources.mapValues { shifted($0, toStartBefore: now) },
                                 configuration: .init(speed: speed, exhausted: loop ? .loop : .idle, skipGapsLongerThan: skippedGap))
    }

    static func binance(_ options: inout FeedOptions) throws(ConfigurationError) -> Binance.ConnectorConfiguration {
        var configuration = Binance.ConnectorConfiguration()
        if let url = try options.url("websocket_url", schemes: ["wss", "ws"]) { configuration.webSocketURL = url }
        if let url = try options.url("rest_url", schemes: ["https", "http"]) { configuration.restURL = url }
        if let tickers = try options.flag("tickers") { configuration.ticker = tickers ? .bookTicker : nil }
        if let trades = try options.flag("trades") { configuration.trades = trades ? .trade : nil }
        if let books = try options.flag("books") { configuration.books = books }
        if let depth = try options.integer("depth", in: 5...5000) { configuration.depthLimit = depth }
        if let silence = try options.seconds("silence_timeout_s") { configuration.silenceTimeout = silence }
        return configuration
    }

    static func coinbase(_ options: inout FeedOptions) throws(ConfigurationError) -> Coinbase.ConnectorConfiguration {
        var configuration = Coinbase.ConnectorConfiguration()
        if let url = try options.url("websocket_url", schemes: ["wss", "ws"]) { configuration.webSocketURL = url }
        if let tickers = try options.flag("tickers") { configuration.tickers = tickers }
        if let trades = try options.flag("trades") { configuration.trades = trades }
        if let books = try options.flag("books") { configuration.books = books }
        if let silence = try options.seconds("silence_timeout_s") { configuration.silenceTimeout = silence }
        return configuration
    }

    static func kraken(_ options: inout FeedOptions) throws(ConfigurationError) -> Kraken.ConnectorConfiguration {
        var configuration = Kraken.ConnectorConfiguration()
        if let url = try options.url("websocket_url", schemes: ["wss", "ws"]) { configuration.webSocketURL = url }
        if let tickers = try options.flag("tickers") { configuration.tickers = tickers }
        if let trades = try options.flag("trades") { configuration.trades = trades }
        if let books = try options.flag("books") { configuration.books = books }
        if let depth = try options.integer("depth", in: 10...1000, allowed: [10, 25, 100, 500, 1000]) { configuration.bookDepth = depth }
        if let silence = try options.seconds("silence_timeout_s") { configuration.silenceTimeout = silence }
        return configuration
    }

    static func kucoin(_ options: inout FeedOptions) throws(ConfigurationError) -> KuCoin.ConnectorConfiguration {
        var configuration = KuCoin.ConnectorConfiguration()
        if let url = try options.url("rest_url", schemes: ["https", "http"]) { configuration.restURL = url }
        if let tickers = try options.flag("tickers") { configuration.tickers = tickers }
        if let trades = try options.flag("trades") { configuration.trades = trades }
        if let books = try options.flag("books") { configuration.books = books }
        if let silence = try options.seconds("silence_timeout_s") { configuration.silenceTimeout = silence }
        return configuration
    }

    /// `source` moved by whole days so its first candle lies within the day before `now`.
    static func shifted(_ source: SimulatedSource, toStartBefore now: Int64) -> SimulatedSource {
        guard case .candles(let candles, let interval) = source, let first = candles.first?.time, first < now else { return source }
        let day: Int64 = 86_400_000
        let offset = (now - first) / day * day
        return .candles(candles.map {
            RecordedCandle(time: $0.time + offset, open: $0.open, high: $0.high, low: $0.low, close: $0.close, volume: $0.volume)
        }, intervalMilliseconds: interval)
    }
}
