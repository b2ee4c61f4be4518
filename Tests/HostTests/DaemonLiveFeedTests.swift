import Exchanges
import Foundation
@testable import Host
import LocalExchange
import Testing

/// The daemon on a live-exchange feed: the Binance connector pointed (through the feed's
/// options) at a local server speaking Binance's protocol, a Lua strategy signalling on
/// ticks, and the connector's own incident counts showing in `GET /realtime/status`.
@Suite(.serialized, .timeLimit(.minutes(2))) struct DaemonLiveFeedTests {
    static let btc = CanonicalSymbol(base: "BTC", quote: "USDT")

    /// Buys above 100, sells at or below: each trade across 100 changes the level.
    static let flip = """
        return {
          on_tick = function(ctx)
            if ctx.price > 100 then return "buy", "above 100" end
            return "sell", "at or below 100"
          end,
        }
        """

    /// A Binance trade frame, timed now.
    static func trade(_ id: Int, price: String) -> String {
        let now = Int64(Date.now.timeIntervalSince1970 * 1000)
        return #"{"stream":"btcusdt@trade","data":{"e":"trade","E":\#(now),"s":"BTCUSDT","t":\#(id),"p":"\#(price)","q":"0.5","T":\#(now),"m":false,"M":true}}"#
    }

    @Test func signalsFlowFromALocalBinanceAndItsIncidentsShowInTheStatus() async throws {
        let server = LocalExchangeServer(exchange: .binance)
        try await server.start()
        defer { Task { await server.stop() } }
        let folder = try TemporaryFolder()
        var configuration = try DaemonEndToEndTests.configuration(folder: folder)
        let strategies = folder.path + "/live-strategies"
        try FileManager.default.createDirectory(atPath: strategies, withIntermediateDirectories: true)
        try Self.flip.write(toFile: strategies + "/flip.lua", atomically: true, encoding: .utf8)
        configuration.strategies.dir = strategies
        configuration.feeds = [FeedSettings(exchange: .binance, symbols: ["BTCUSDT"], options: [
            "websocket_url": server.webSocketURL, "rest_url": server.restURL, "books": "false", "tickers": "false",
        ])]
        try await DaemonEndToEndTests.withDaemon(configuration) { port, _ in
            try await server.waitForMessages(timeout: .seconds(20)) { $0.contains { $0.contains(#""SUBSCRIBE""#) && $0.contains("btcusdt@trade") } }
            // The subscription is acknowledged before trades flow: push until signals arrive.
            var pushed = 0
            var signals: [[String: Any]] = []
            for round in 0..<100 where signals.count < 2 {
                for price in ["101.5", "99.5"] {
                    pushed += 1
                    await server.push([Self.trade(pushed, price: price)], channel: "trade", symbol: Self.btc)
                }
                try await Task.sleep(for: .milliseconds(round < 10 ? 50 : 200))
                signals = try await DaemonEndToEndTests.request(port, .GET, "/signals/history?strategy=flip&limit=100")
                    .json["signals"] as? [[String: Any]] ?? []
            }
            #expect(signals.count >= 2, "signals from the local exchange's trades")
            let first = try #require(signals.first)
            #expect(first["symbol"] as? String == "BTC/USDT")
            #expect(first["exchange"] as? String == "binance")
            #expect(["buy", "sell"].contains(first["level"] as? String ?? ""))
            #expect((first["feed"] as? [String: Any])?["quality"] as? Double ?? 0 > 0.5)

            // A frame Binance would never send: counted by the connector, shown in the status
            // once the daemon has sampled the connector (every second).
            await server.pushGarbage()
            let status = try await DaemonEndToEndTests.poll(port, "/realtime/status", seconds: 10) { status in
                let symbol = (status["symbols"] as? [[String: Any]])?.first
                return (symbol?["incidents"] as? [String: Any])?["decodeError"] as? Int == 1
            }
            let symbol = try #require((status["symbols"] as? [[String: Any]])?.first)
            #expect(symbol["exchange"] as? String == "binance")
            #expect((symbol["incidents"] as? [String: Any])?["decodeError"] as? Int == 1, "status: \(status)")
            #expect(symbol["messages"] as? Int ?? 0 >= 2)
            let metrics = try await DaemonEndToEndTests.request(port, .GET, "/metrics").text
            let decodeErrors = metrics.split(separator: "\n").filter {
                $0.hasPrefix("chloe_feed_incidents_total{") && $0.contains(#"exchange="binance""#)
                    && $0.contains(#"symbol="BTC/USDT""#) && $0.contains(#"kind="decodeError""#)
            }
            #expect(decodeErrors.count == 1 && decodeErrors.first?.split(separator: " ").last == "1", "\(decodeErrors)")

            // A dropped connection: the connector reconnects and resubscribes, the daemon counts it.
            await server.dropConnections()
            try await server.waitForConnections(2, timeout: .seconds(20))
            let reconnected = try await DaemonEndToEndTests.poll(port, "/realtime/status", seconds: 10) { status in
                let symbol = (status["symbols"] as? [[String: Any]])?.first
                return (symbol?["incidents"] as? [String: Any])?["reconnect"] as? Int == 1
            }
            #expect(((reconnected["symbols"] as? [[String: Any]])?.first?["incidents"] as? [String: Any])?["reconnect"] as? Int == 1)
        }
    }
}
