import Exchanges
import Logging
import Testing
@testable import Host

/// Feed `options` as the daemon reads them: endpoint overrides and stream choices for live
/// exchanges, every value checked, unknown options refused by name.
@Suite struct DaemonFeedsTests {
    private func options(_ exchange: Exchange, _ values: [String: String]) -> FeedOptions {
        FeedOptions(FeedSettings(exchange: exchange, symbols: ["BTC/USDT"], options: values))
    }

    private func refusal(_ exchange: Exchange, _ values: [String: String]) -> ConfigurationError? {
        do {
            _ = try DaemonFeeds.connector(for: FeedSettings(exchange: exchange, symbols: ["BTC/USDT"], options: values),
                                          logger: Logger(label: "test"))
            return nil
        } catch let error as ConfigurationError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func liveFeedsKeepProductionEndpointsByDefault() throws {
        var binance = options(.binance, [:])
        let configuration = try DaemonFeeds.binance(&binance)
        #expect(configuration.webSocketURL == "wss://stream.binance.com:9443")
        #expect(configuration.restURL == "https://api.binance.com")
        #expect(configuration.books)
        var kucoin = options(.kucoin, [:])
        #expect(try DaemonFeeds.kucoin(&kucoin).restURL == "https://api.kucoin.com")
    }

    @Test func endpointsAndStreamsCanBeOverridden() throws {
        var binance = options(.binance, ["websocket_url": "ws://127.0.0.1:9000/", "rest_url": "http://127.0.0.1:9000",
                                         "books": "false", "tickers": "no", "depth": "100", "silence_timeout_s": "2.5"])
        let b = try DaemonFeeds.binance(&binance)
        try binance.rejectUnknown()
        #expect(b.webSocketURL == "ws://127.0.0.1:9000")
        #expect(b.restURL == "http://127.0.0.1:9000")
        #expect(!b.books && b.ticker == nil && b.trades == .trade)
        #expect(b.depthLimit == 100)
        #expect(b.silenceTimeout == .milliseconds(2500))
        var kraken = options(.kraken, ["websocket_url": "wss://example.test/v2", "depth": "25"])
        let k = try DaemonFeeds.kraken(&kraken)
        #expect(k.webSocketURL == "wss://example.test/v2" && k.bookDepth == 25)
        var coinbase = options(.coinbase, ["trades": "false"])
        #expect(try DaemonFeeds.coinbase(&coinbase).trades == false)
        var kucoin = options(.kucoin, ["rest_url": "http://127.0.0.1:1"])
        #expect(try DaemonFeeds.kucoin(&kucoin).restURL == "http://127.0.0.1:1")
    }

    @Test func badOptionsAreRefusedNamingTheOption() {
        let unknown = refusal(.binance, ["websocket": "wss://x"])
        #expect(unknown?.keyPath == "feeds.options.websocket")
        #expect(unknown?.message.contains("unknown option of the binance feed") == true)
        #expect(unknown?.message.contains("websocket_url") == true)
        #expect(refusal(.binance, ["websocket_url": "stream.binance.com"])?.keyPath == "feeds.options.websocket_url")
        #expect(refusal(.kucoin, ["rest_url": "wss://api.kucoin.com"])?.message.contains("is not a URL") == true)
        #expect(refusal(.coinbase, ["books": "maybe"])?.message == "'maybe' is not true or false")
        #expect(refusal(.kraken, ["depth": "20"])?.message.contains("one of 10, 25, 100, 500, 1000") == true)
        #expect(refusal(.binance, ["silence_timeout_s": "-1"])?.keyPath == "feeds.options.silence_timeout_s")
        #expect(refusal(.kucoin, ["websocket_url": "wss://x"])?.keyPath == "feeds.options.websocket_url")
        #expect(refusal(.sim, ["speed": "slow"])?.keyPath == "feeds.options.speed")
        #expect(refusal(.sim, ["sampels": "x"])?.message.contains("known: loop, samples, speed") == true)
    }
}
