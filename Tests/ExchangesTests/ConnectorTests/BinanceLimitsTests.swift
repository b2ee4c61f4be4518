import Exchanges
import LocalExchange
import Testing

/// Binance's connection limits against the local server, which, like Binance, closes a
/// connection that sends more than 5 messages in a second.
@Suite(.timeLimit(.minutes(1)))
struct BinanceLimitsTests {
    /// `count` symbols, each sent in its own `SUBSCRIBE` (two streams each, two per request).
    private func symbols(_ count: Int) -> [CanonicalSymbol] {
        (0..<count).map { sym("S\($0)X/USDT") }
    }

    private func connector(_ server: LocalExchangeServer, streamsPerConnection: Int = 1024,
                           messageLimit: MessageRateLimit? = MessageRateLimit(messages: 4, per: .seconds(2))) -> BinanceConnector {
        BinanceConnector(configuration: Binance.ConnectorConfiguration(
            webSocketURL: server.webSocketURL, restURL: server.restURL, books: false, streamsPerRequest: 2,
            maximumStreamsPerConnection: streamsPerConnection, messageLimit: messageLimit, connection: fastSettings()))
    }

    private func subscribes(_ log: [String]) -> Int { log.count { $0.contains(#""method":"SUBSCRIBE""#) } }

    @Test func subscribesArePacedWithinTheMessageLimit() async throws {
        let server = LocalExchangeServer(exchange: .binance)
        try await server.start()
        defer { Task { await server.stop() } }
        let connector = connector(server)
        try await running(connector, symbols(5)) { sink in
            // 4 at once, the fifth once the first has been out for 2 s.
            try await sink.waitFor("five acks", count: 5, timeout: .seconds(20)) { $0.payload.subscription != nil }
            let acks = sink.events.filter { $0.payload.subscription != nil }.map(\.receiveTime)
            // Unpaced, all five acks come within milliseconds. Ack times carry the machine's
            // scheduling jitter (a loaded CI core can hold the first ack back by hundreds of ms),
            // so the bound is loose; the server's own check of the limit below is the exact one.
            #expect(acks[4] - acks[0] >= 1000, "the fifth request waited for room: \(acks)")
            #expect(await server.rateLimitedConnections() == 0)
            #expect(await server.connections().opened == 1, "disconnects: \(sink.disconnectReasons)")
        }
    }

    @Test func unpacedSubscribesAreCutByTheServer() async throws {
        // The control: without the limit the same requests break Binance's rule.
        let server = LocalExchangeServer(exchange: .binance)
        try await server.start()
        defer { Task { await server.stop() } }
        let connector = connector(server, messageLimit: nil)
        try await running(connector, symbols(8)) { sink in
            try await sink.waitFor("the disconnect") { $0.isDisconnected }
            #expect(await server.rateLimitedConnections() >= 1)
        }
    }

    @Test func symbolsBeyondOneConnectionsStreamsGoToAnother() async throws {
        let server = LocalExchangeServer(exchange: .binance)
        try await server.start()
        defer { Task { await server.stop() } }
        // Four streams a connection: two symbols (trade + bookTicker each).
        let connector = connector(server, streamsPerConnection: 4)
        let all = symbols(5)
        try await running(connector, Array(all.prefix(3))) { sink in
            try await sink.waitFor("three acks", count: 3) { $0.payload.subscription != nil }
            #expect(await server.connections().open == 2)
            try await connector.subscribe(Array(all.suffix(2)))
            try await sink.waitFor("five acks", count: 5) { $0.payload.subscription != nil }
            #expect(await server.connections().open == 3)
            // Every connection carries its own symbols' streams, none twice.
            let log = await server.received()
            for symbol in all {
                let name = Binance.Symbols().streamName(symbol)
                #expect(log.count { $0.contains("\"\(name)@trade\"") && $0.contains(#""SUBSCRIBE""#) } == 1)
            }
            // A trade reaches its symbol whichever connection carries it.
            func trade(_ symbol: CanonicalSymbol) -> String {
                let native = Binance.Symbols().native(symbol)
                return #"{"stream":"\#(native.lowercased())@trade","data":{"e":"trade","E":1,"s":"\#(native)","t":1,"p":"1.5","q":"1","T":1,"m":false,"M":true}}"#
            }
            for symbol in all { await server.push([trade(symbol)], channel: "trade", symbol: symbol) }
            try await sink.waitFor("a trade for each symbol", count: 5) { $0.payload.trade != nil }
            #expect(Set(sink.events.filter { $0.payload.trade != nil }.compactMap(\.symbol)) == Set(all))
            for symbol in all { #expect(await connector.health()[symbol]?.messages == 1) }
            // A removed symbol frees room on its connection for the next one.
            try await connector.unsubscribe([all[0]])
            try await server.waitForMessages { $0.contains { $0.contains(#""UNSUBSCRIBE""#) } }
            let extra = sym("EXTRAX/USDT")
            try await connector.subscribe([extra])
            try await sink.waitFor("the ack of the extra symbol") { $0.payload.subscription?.symbols == [extra] }
            #expect(await server.connections() == (opened: 3, open: 3))
        }
    }

    @Test func anExtraConnectionLeftWithoutSymbolsClosesAndOpensAgainForNewOnes() async throws {
        let server = LocalExchangeServer(exchange: .binance)
        try await server.start()
        defer { Task { await server.stop() } }
        let connector = connector(server, streamsPerConnection: 4)  // two symbols a connection
        let all = symbols(4)
        try await running(connector, Array(all.prefix(3))) { sink in
            try await sink.waitFor("three acks", count: 3) { $0.payload.subscription != nil }
            #expect(await server.connections() == (opened: 2, open: 2))
            // The third symbol was alone on the second connection.
            try await connector.unsubscribe([all[2]])
            try await server.waitForConnectionsOpen(1)
            #expect(sink.disconnectReasons.isEmpty, "a retired connection reports no symbol as disconnected")
            // The first connection is untouched and still delivers.
            let native = Binance.Symbols().native(all[0])
            await server.push([#"{"stream":"\#(native.lowercased())@trade","data":{"e":"trade","E":1,"s":"\#(native)","t":1,"p":"1.5","q":"1","T":1,"m":false,"M":true}}"#],
                              channel: "trade", symbol: all[0])
            try await sink.waitFor("the trade on the first connection") { $0.payload.trade != nil && $0.symbol == all[0] }
            // A new symbol beyond the first connection's room opens the second one again.
            try await connector.subscribe([all[3]])
            try await sink.waitFor("the ack of the new symbol") { $0.payload.subscription?.symbols == [all[3]] }
            #expect(await server.connections() == (opened: 3, open: 2))
        }
    }
}
