import Exchanges
import Foundation
import Logging

/// One connector per configured feed. The `sim` feed replays the candle files of its
/// `samples` folder (default `samples/candles`), shifted by whole days so the replay starts
/// within the last day, at `speed` (default `600`: a 5-minute candle every half second, so
/// the example strategies warm up and signal within seconds), and loops (`loop: false` idles
/// at the end instead). Live exchanges use their production endpoints.
enum DaemonFeeds {
    static let defaultSpeed = "600"

    static func connector(for feed: FeedSettings, logger: Logger,
                          now: Int64 = Int64(Date.now.timeIntervalSince1970 * 1000)) throws -> any ExchangeConnector {
        switch feed.exchange {
        case .sim: return try simulated(feed, now: now)
        case .binance: return BinanceConnector(logger: logger)
        case .coinbase: return CoinbaseConnector(logger: logger)
        case .kraken: return KrakenConnector(logger: logger)
        case .kucoin: return KuCoinConnector(logger: logger)
        }
    }

    static func simulated(_ feed: FeedSettings, now: Int64) throws -> SimulatedExchange {
        let known: Set<String> = ["samples", "speed", "loop"]
        if let unknown = feed.options.keys.sorted().first(where: { !known.contains($0) }) {
            throw ConfigurationError(keyPath: "feeds.options.\(unknown)", location: "configuration",
                                     message: "unknown option of the sim feed; known: samples, speed, loop")
        }
        let speedText = feed.options["speed"] ?? defaultSpeed
        guard let speed = SimulatedSpeed(speedText) else {
            throw ConfigurationError(keyPath: "feeds.options.speed", location: "configuration",
                                     message: "'\(speedText)' is not a speed; use realtime, max or a factor such as 600")
        }
        let loop = feed.options["loop"].map { $0 == "true" } ?? true
        let directory = feed.options["samples"] ?? "samples/candles"
        let sources: [CanonicalSymbol: SimulatedSource]
        do {
            sources = try ReplaySources.candleDirectory(directory)
        } catch {
            throw ConfigurationError(keyPath: "feeds.options.samples", location: directory, message: "cannot read the sample candles: \(error)")
        }
        return SimulatedExchange(sources: sources.mapValues { shifted($0, toStartBefore: now) },
                                 configuration: .init(speed: speed, exhausted: loop ? .loop : .idle))
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
