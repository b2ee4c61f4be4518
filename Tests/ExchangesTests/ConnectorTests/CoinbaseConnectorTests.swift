import Exchanges
import LocalExchange
import Testing

/// The Coinbase connector against a local server speaking Advanced Trade from recorded frames.
@Suite(.timeLimit(.minutes(1)))
struct CoinbaseConnectorTests {
    let eth = sym("ETH/USD")

    private func connector(_ server: LocalExchangeServer, silence: Duration = .seconds(5)) -> CoinbaseConnector {
        CoinbaseConnector(configuration: Coinbase.ConnectorConfiguration(webSocketURL: server.webSocketURL,
                                                                         silenceTimeout: silence, connection: fastSettings()))
    }

    /// The protocol layer's book machine, fed the recorded snapshot directly.
    private func referenceMachine() throws -> (Coinbase.MessageDecoder, Coinbase.BookStateMachine) {
        var decoder = Coinbase.MessageDecoder()
        var machine = Coinbase.BookStateMachine()
        let snapshot = try decoder.decode(Fixture.named(.coinbase, "11-"), receivedAt: 0)[0]
        _ = machine.receiveSnapshot(try #require(snapshot.payload.snapshot))
        return (decoder, machine)
    }

    @Test func theLevel2BookFollowsTheRecordingAfterEveryStep() async throws {
        let server = LocalExchangeServer(exchange: .coinbase)
        try await server.start()
        defer { Task { await server.stop() } }
        await server.onSubscribe(eth, channel: "level2", send: [try fixtureText(.coinbase, "11-")])
        let connector = connector(server)
        try await running(connector, [eth]) { sink in
            try await sink.waitFor("the snapshot") { $0.isBook(eth, snapshot: true) }
            var (decoder, expected) = try referenceMachine()
            #expect(sink.book(eth) == expected.book)
            for (k, prefix) in ["12-", "13-", "14-", "15-", "16-"].enumerated() {
                await server.push([try fixtureText(.coinbase, prefix)])
                for event in try decoder.decode(Fixture.named(.coinbase, prefix), receivedAt: 0) {
                    _ = expected.receiveUpdate(try #require(event.payload.delta))
                }
                try await sink.waitFor("update \(prefix)", count: k + 1) { $0.isBook(eth, snapshot: false) }
                #expect(sink.book(eth) == expected.book, "book after \(prefix)")
            }
            let book = try #require(sink.book(eth))
            #expect(book.bestBid == BookLevel(price: dec("1919.44"), size: dec("0.02858092")))
            #expect(book.bestAsk == BookLevel(price: dec("1919.49"), size: dec("0.07814824")))
            #expect(book.bids.count == 6934)
            #expect(book.asks.count == 16401)
            let sent = await server.received()
            #expect(sent.first == #"{"type":"subscribe","channel":"heartbeats"}"#)
            #expect(sent.contains(#"{"type":"subscribe","product_ids":["ETH-USD"],"channel":"level2"}"#))
            #expect(await connector.health()[eth]?.isBookInSync == true)
        }
    }

    @Test func aSequenceGapDropsTheBooksAndResubscribesLevel2() async throws {
        let server = LocalExchangeServer(exchange: .coinbase)
        try await server.start()
        defer { Task { await server.stop() } }
        await server.onSubscribe(eth, channel: "level2", send: [try fixtureText(.coinbase, "11-")])
        let connector = connector(server)
        try await running(connector, [eth]) { sink in
            try await sink.waitFor("the snapshot") { $0.isBook(eth, snapshot: true) }
            await server.skipSequenceNumber()
            await server.push([try fixtureText(.coinbase, "12-")])
            try await sink.waitFor("the resync") { $0.isResynced && $0.symbol == eth }
            #expect(sink.count { $0.isBook(eth, snapshot: true) } == 2)
            #expect(sink.book(eth) == (try referenceMachine()).1.book)
            let health = try #require(await connector.health()[eth])
            #expect(health.count(.gap) == 1)
            #expect(health.count(.resync) == 1)
            #expect(health.isBookInSync)
            #expect(await server.received().contains(#"{"type":"unsubscribe","product_ids":["ETH-USD"],"channel":"level2"}"#))
            #expect(await server.connections().opened == 1, "disconnects: \(sink.disconnectReasons)")
        }
    }

    @Test func aSilentConnectionIsReplaced() async throws {
        let server = LocalExchangeServer(exchange: .coinbase, configuration: .init(heartbeatInterval: .milliseconds(20)))
        try await server.start()
        defer { Task { await server.stop() } }
        let connector = CoinbaseConnector(configuration: Coinbase.ConnectorConfiguration(
            webSocketURL: server.webSocketURL, books: false, silenceTimeout: .milliseconds(300), connection: fastSettings()))
        try await running(connector, [eth]) { sink in
            try await sink.waitFor("heartbeats", count: 3) { $0.isHeartbeat }
            await server.setSilent(true)
            try await sink.waitFor("the disconnect") { $0.isDisconnected }
            let reason = sink.disconnectReasons.first
            #expect(reason?.contains("silent") == true)
            await server.setSilent(false)
            try await server.waitForConnections(2)
            let heartbeatsBefore = sink.count { $0.isHeartbeat }
            try await sink.waitFor("heartbeats on the new connection", count: heartbeatsBefore + 2) { $0.isHeartbeat }
            // Wall-clock silence: a loaded machine may need more than one attempt.
            let health = try #require(await connector.health()[eth])
            #expect(health.count(.reconnect) >= 1)
            #expect(health.count(.silence) >= 1)
            #expect(health.count(.silence) <= health.count(.reconnect))
        }
    }

    @Test func tickersAndTradesFlowWithHealth() async throws {
        let server = LocalExchangeServer(exchange: .coinbase)
        try await server.start()
        defer { Task { await server.stop() } }
        let connector = CoinbaseConnector(configuration: Coinbase.ConnectorConfiguration(
            webSocketURL: server.webSocketURL, books: false, connection: fastSettings()))
        try await running(connector, [eth, sym("BTC/USD")]) { sink in
            try await server.waitForMessages { $0.contains { $0.contains("market_trades") } }
            await server.push([try fixtureText(.coinbase, "07-"), try fixtureText(.coinbase, "08-")])
            try await sink.waitFor("the ticker") { $0.symbol == eth && $0.payload.ticker != nil }
            try await sink.waitFor("a trade") { $0.payload.trade != nil }
            let ticker = try #require(sink.events.first { $0.symbol == eth && $0.payload.ticker != nil }?.payload.ticker)
            #expect(ticker.bid == dec("1919.44"))
            #expect(ticker.ask == dec("1919.49"))
            #expect((await connector.health()[eth]?.messages ?? 0) >= 1)
        }
    }
}
