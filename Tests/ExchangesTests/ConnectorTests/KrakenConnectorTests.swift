import Exchanges
import LocalExchange
import Testing

/// The Kraken v2 connector against a local server speaking Kraken's protocol from documented frames.
@Suite(.timeLimit(.minutes(1)))
struct KrakenConnectorTests {
    let matic = sym("MATIC/USD")

    private func connector(_ server: LocalExchangeServer, ping: Duration = .seconds(30)) -> KrakenConnector {
        KrakenConnector(configuration: Kraken.ConnectorConfiguration(webSocketURL: server.webSocketURL, pingInterval: ping,
                                                                     connection: fastSettings()))
    }

    /// A server that lists MATIC/USD at precision 4/8 and sends the documented snapshot on
    /// every book subscription.
    private func server(_ configuration: LocalExchangeServer.Configuration = .init()) async throws -> LocalExchangeServer {
        let server = LocalExchangeServer(exchange: .kraken, configuration: configuration)
        try await server.start()
        await server.setPrecision(price: 4, quantity: 8, for: matic)
        await server.onSubscribe(matic, channel: "book", send: [try fixtureText(.kraken, "11-")])
        return server
    }

    @Test func theBookIsSubscribedAtTheInstrumentPrecisionAndChecked() async throws {
        let server = try await server()
        defer { Task { await server.stop() } }
        let connector = connector(server)
        try await running(connector, [matic]) { sink in
            try await sink.waitFor("the snapshot") { $0.isBook(matic, snapshot: true) }
            let sent = await server.received()
            let instrument = try #require(sent.firstIndex { $0.contains(#""channel":"instrument""#) })
            let book = try #require(sent.firstIndex { $0.contains(#""channel":"book""#) })
            #expect(instrument < book, "the book waits for the pair's precision")
            await server.push([try fixtureText(.kraken, "12-")])
            try await sink.waitFor("the update") { $0.isBook(matic, snapshot: false) }
            var expected = Kraken.BookStateMachine(depth: 10, precision: Kraken.Precision(price: 4, quantity: 8))
            var decoder = Kraken.MessageDecoder()
            #expect(expected.receiveSnapshot(try #require(try decoder.decode(Fixture.named(.kraken, "11-"), receivedAt: 0)[0].payload.snapshot)) == .applied)
            #expect(expected.receiveUpdate(try #require(try decoder.decode(Fixture.named(.kraken, "12-"), receivedAt: 0)[0].payload.delta)) == .applied)
            #expect(sink.book(matic, depth: 10) == expected.book)
            let health = try #require(await connector.health()[matic])
            #expect(health.isBookInSync)
            #expect(health.count(.checksumFailure) == 0)
        }
    }

    @Test func deltasDescribeTheBookCutToTheSubscribedDepth() async throws {
        let server = try await server()
        defer { Task { await server.stop() } }
        let connector = connector(server)
        try await running(connector, [matic]) { sink in
            try await sink.waitFor("the snapshot") { $0.isBook(matic, snapshot: true) }
            // A better bid pushes the tenth off; Kraken sends no delete for it.
            var expected = Kraken.BookStateMachine(depth: 10, precision: Kraken.Precision(price: 4, quantity: 8))
            var decoder = Kraken.MessageDecoder()
            _ = expected.receiveSnapshot(try #require(try decoder.decode(Fixture.named(.kraken, "11-"), receivedAt: 0)[0].payload.snapshot))
            #expect(expected.receiveUpdate(BookUpdate(bids: [BookLevel(price: dec("0.5667"), size: dec("1"))])) == .applied)
            let checksum = Kraken.Checksum.compute(expected.book, precision: expected.precision)
            await server.push([#"{"channel":"book","type":"update","data":[{"symbol":"MATIC/USD","bids":[{"price":0.5667,"qty":1.00000000}],"asks":[],"checksum":\#(checksum),"timestamp":"2023-10-06T17:35:55.440295Z"}]}"#])
            try await sink.waitFor("the update") { $0.isBook(matic, snapshot: false) }
            // Applying the events alone, without cutting, gives the connector's ten levels.
            #expect(sink.book(matic) == expected.book)
            #expect(sink.book(matic)?.bids.count == 10)
            #expect(await connector.book(for: matic) == expected.book)
            #expect(await connector.health()[matic]?.count(.checksumFailure) == 0)
        }
    }

    @Test func aChecksumMismatchResubscribesThatBookOnly() async throws {
        let server = try await server()
        defer { Task { await server.stop() } }
        let connector = connector(server)
        let btc = sym("BTC/USD")
        await server.setPrecision(price: 1, quantity: 8, for: btc)
        await server.onSubscribe(btc, channel: "book", send: [try fixtureText(.kraken, "13-")])
        try await running(connector, [matic, btc]) { sink in
            try await sink.waitUntil("both snapshots") { events in
                events.contains { $0.isBook(matic, snapshot: true) } && events.contains { $0.isBook(btc, snapshot: true) }
            }
            let corrupted = try fixtureText(.kraken, "12-").replacingOccurrences(of: "2114181697", with: "2114181698")
            await server.push([corrupted])
            try await sink.waitFor("the resync") { $0.isResynced && $0.symbol == matic }
            #expect(sink.count { $0.isBook(matic, snapshot: true) } == 2)
            #expect(sink.count { $0.isBook(btc, snapshot: true) } == 1)
            let sent = await server.received()
            #expect(sent.contains { $0.contains(#""method":"unsubscribe""#) && $0.contains("MATIC/USD") && $0.contains(#""book""#) })
            #expect(!sent.contains { $0.contains(#""method":"unsubscribe""#) && $0.contains("BTC/USD") })
            let health = await connector.health()
            #expect(health[matic]?.count(.checksumFailure) == 1)
            #expect(health[matic]?.isBookInSync == true)
            #expect(health[btc]?.count(.checksumFailure) == 0)
        }
    }

    @Test func pingsAreSentAndPongsCountAsHeartbeats() async throws {
        let server = try await server(.init(heartbeatInterval: nil))
        defer { Task { await server.stop() } }
        let connector = KrakenConnector(configuration: Kraken.ConnectorConfiguration(
            webSocketURL: server.webSocketURL, books: false, pingInterval: .milliseconds(30), connection: fastSettings()))
        try await running(connector, [matic]) { sink in
            try await server.waitForMessages { $0.count { $0.contains(#""method":"ping""#) } >= 3 }
            try await sink.waitFor("pongs", count: 3) { $0.isHeartbeat }
            #expect(await server.connections().opened == 1, "disconnects: \(sink.disconnectReasons)")
        }
    }

    @Test func aRefusedPairIsDroppedAlone() async throws {
        let server = try await server()
        defer { Task { await server.stop() } }
        let bad = sym("FOO/USD")
        await server.reject([bad])
        let connector = connector(server)
        try await running(connector, [matic, bad]) { sink in
            try await sink.waitFor("the refusal") { $0.symbol == bad && $0.payload.error != nil }
            try await sink.waitFor("the book of the good pair") { $0.isBook(matic, snapshot: true) }
            #expect(await connector.symbols() == [matic])
            #expect(await server.connections().opened == 1, "disconnects: \(sink.disconnectReasons)")
        }
    }

    @Test func garbageIsCountedAndTheConnectionStays() async throws {
        let server = try await server()
        defer { Task { await server.stop() } }
        let connector = connector(server)
        try await running(connector, [matic]) { sink in
            try await sink.waitFor("the snapshot") { $0.isBook(matic, snapshot: true) }
            await server.pushGarbage()
            await server.push([try fixtureText(.kraken, "12-")])
            try await sink.waitFor("the update") { $0.isBook(matic, snapshot: false) }
            #expect(await connector.health()[matic]?.count(.decodeError) == 1)
            #expect(await server.connections().opened == 1, "disconnects: \(sink.disconnectReasons)")
        }
    }
}
