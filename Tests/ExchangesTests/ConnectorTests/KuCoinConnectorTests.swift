import Exchanges
import LocalExchange
import Testing

/// The KuCoin connector against a local server speaking KuCoin's protocol from recorded frames.
@Suite(.timeLimit(.minutes(1)))
struct KuCoinConnectorTests {
    let bchsv = sym("BCHSV/USDT")

    private func connector(_ server: LocalExchangeServer) -> KuCoinConnector {
        KuCoinConnector(configuration: KuCoin.ConnectorConfiguration(restURL: server.restURL, connection: fastSettings()))
    }

    @Test func theTokenHandshakeThenBooksFollowTheRecordedSync() async throws {
        let server = LocalExchangeServer(exchange: .kucoin)
        try await server.start()
        defer { Task { await server.stop() } }
        await server.setSnapshot(try fixtureText(.kucoin, "13-"), for: bchsv)
        let connector = connector(server)
        try await running(connector, [bchsv]) { sink in
            try await sink.waitFor("the welcome") { if case .connected = $0.payload { true } else { false } }
            try await server.waitForMessages { $0.contains { $0.contains("/market/level2:BCHSV-USDT") } }
            var decoder = KuCoin.MessageDecoder()
            var expected = KuCoin.BookStateMachine()
            for prefix in ["14-", "15-", "16-", "17-", "18-", "19-"] {
                await server.push([try fixtureText(.kucoin, prefix)])
                let event = try decoder.decode(Fixture.named(.kucoin, prefix), receivedAt: 0)[0]
                if expected.receiveDelta(try #require(event.payload.delta), sequenceEnd: try #require(event.sequence)) == .fetchSnapshot {
                    let snapshot = try decoder.decode(Fixture.named(.kucoin, "13-"), receivedAt: 0)[0]
                    _ = expected.receiveSnapshot(try #require(snapshot.payload.snapshot), sequence: try #require(snapshot.sequence))
                }
                let sequence = try #require(expected.sequence)
                try await sink.waitUntil("the book at \(sequence)") { events in
                    events.contains { $0.symbol == self.bchsv && $0.sequence == sequence && ($0.payload.delta != nil || $0.payload.snapshot != nil) }
                }
                #expect(sink.book(bchsv) == expected.book, "book after \(prefix)")
            }
            let book = try #require(sink.book(bchsv))
            #expect(book.bestBid == BookLevel(price: dec("242.649"), size: dec("5")))
            #expect(book.bestAsk == BookLevel(price: dec("242.951"), size: dec("4.51280965")))
            #expect(expected.sequence == 1_613_277_183_897)
            let health = try #require(await connector.health()[bchsv])
            #expect(health.isBookInSync)
            #expect(health.count(.outOfOrder) == 0)
        }
    }

    @Test func pingsFollowTheAnnouncedIntervalAndPongsAreHeartbeats() async throws {
        let server = LocalExchangeServer(exchange: .kucoin, configuration: .init(kucoinPingInterval: .milliseconds(30),
                                                                                  kucoinPingTimeout: .seconds(5)))
        try await server.start()
        defer { Task { await server.stop() } }
        let connector = KuCoinConnector(configuration: KuCoin.ConnectorConfiguration(restURL: server.restURL, books: false,
                                                                                     connection: fastSettings()))
        try await running(connector, [bchsv]) { sink in
            try await server.waitForMessages { $0.count { $0.contains(#""type":"ping""#) } >= 3 }
            try await sink.waitFor("pongs", count: 3) { $0.isHeartbeat }
            #expect(await server.connections().opened == 1, "disconnects: \(sink.disconnectReasons)")
        }
    }

    @Test func aSilentServerIsDetectedByTheMissingPongs() async throws {
        let server = LocalExchangeServer(exchange: .kucoin, configuration: .init(kucoinPingInterval: .milliseconds(30),
                                                                                  kucoinPingTimeout: .milliseconds(200)))
        try await server.start()
        defer { Task { await server.stop() } }
        let connector = KuCoinConnector(configuration: KuCoin.ConnectorConfiguration(restURL: server.restURL, books: false,
                                                                                     connection: fastSettings()))
        try await running(connector, [bchsv]) { sink in
            try await sink.waitFor("a pong") { $0.isHeartbeat }
            await server.setSilent(true)
            try await sink.waitFor("the disconnect") { $0.isDisconnected }
            await server.setSilent(false)
            try await server.waitForConnections(2)
            try await server.waitForMessages { $0.count { $0.contains(#""type":"subscribe""#) && $0.contains("/market/ticker:BCHSV-USDT") } >= 2 }
            // Wall-clock silence: a loaded machine may need more than one attempt.
            #expect((await connector.health()[bchsv]?.count(.reconnect) ?? 0) >= 1)
            #expect((await connector.health()[bchsv]?.count(.silence) ?? 0) >= 1)
        }
    }

    @Test func aRefusedSymbolInABatchIsRetriedAloneAndDropped() async throws {
        let server = LocalExchangeServer(exchange: .kucoin)
        try await server.start()
        defer { Task { await server.stop() } }
        let bad = sym("NOPE/USDT")
        await server.reject([bad])
        let connector = KuCoinConnector(configuration: KuCoin.ConnectorConfiguration(restURL: server.restURL, books: false,
                                                                                     connection: fastSettings()))
        try await running(connector, [bchsv, bad]) { sink in
            try await sink.waitFor("the refusal") { $0.symbol == bad && $0.payload.error != nil }
            await server.push([try fixtureText(.kucoin, "10-").replacingOccurrences(of: "DAPPT-BTC", with: "BCHSV-USDT")])
            try await sink.waitFor("a trade") { $0.symbol == self.bchsv && $0.payload.trade != nil }
            #expect(await connector.symbols() == [bchsv])
            #expect(await server.connections().opened == 1, "disconnects: \(sink.disconnectReasons)")
        }
    }
}
