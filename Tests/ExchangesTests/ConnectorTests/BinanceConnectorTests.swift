import Exchanges
import LocalExchange
import NIOPosix
import Testing

/// The Binance connector against a local server speaking Binance's protocol from recorded frames.
@Suite(.timeLimit(.minutes(1)))
struct BinanceConnectorTests {
    let nkn = sym("NKN/USDT")

    private func connector(_ server: LocalExchangeServer, spikeFilter: PriceSpikeFilter.Configuration? = .init()) -> BinanceConnector {
        BinanceConnector(configuration: Binance.ConnectorConfiguration(
            webSocketURL: server.webSocketURL, restURL: server.restURL,
            connection: fastSettings(spikeFilter: spikeFilter)))
    }

    /// The reference: the protocol layer's state machine fed the same fixtures directly.
    private func reference(snapshot: String, deltas: [String]) throws -> Binance.BookStateMachine {
        var decoder = Binance.MessageDecoder()
        var machine = Binance.BookStateMachine()
        let snapshotEvent = try decoder.decode(Fixture.named(.binance, snapshot), receivedAt: 0)[0]
        for prefix in deltas {
            let event = try decoder.decode(Fixture.named(.binance, prefix), receivedAt: 0)[0]
            _ = machine.receiveDelta(try #require(event.payload.delta), finalUpdateID: try #require(event.sequence))
            if !machine.isSynced {
                _ = machine.receiveSnapshot(try #require(snapshotEvent.payload.snapshot), lastUpdateID: try #require(snapshotEvent.sequence))
            }
        }
        return machine
    }

    /// The server with its state and sockets on a one-loop group of its own (as the socket
    /// benchmark runs it, the state actor on that loop) serves the connector as on the shared group.
    @Test func aServerOnItsOwnEventLoopServesTheConnector() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = LocalExchangeServer(exchange: .binance, eventLoopGroup: group)
        try await server.start()
        await server.setSnapshot(try fixtureText(.binance, "09-"), for: nkn)
        try await running(connector(server), [nkn]) { sink in
            try await server.waitForMessages { $0.contains { $0.contains(#""method":"SUBSCRIBE""#) } }
            await server.push([try fixtureText(.binance, "11-")])
            try await sink.waitFor("the synced book") { $0.isBook(nkn, snapshot: true) }
        }
        #expect(await server.connections().opened == 1)
        await server.stop()
        try await group.shutdownGracefully()
    }

    @Test func booksFollowTheRecordedSyncAfterEveryStep() async throws {
        let server = LocalExchangeServer(exchange: .binance)
        try await server.start()
        defer { Task { await server.stop() } }
        await server.setSnapshot(try fixtureText(.binance, "09-"), for: nkn)
        let connector = connector(server)
        try await running(connector, [nkn]) { sink in
            try await server.waitForMessages { $0.contains { $0.contains("nknusdt@depth@100ms") && $0.contains(#""method":"SUBSCRIBE""#) } }
            try await sink.waitFor("the subscription ack") { if case .subscribed = $0.payload { true } else { false } }
            // 10 arrives before the snapshot and is older than it: buffered, then dropped.
            await server.push([try fixtureText(.binance, "10-")])
            try await sink.waitFor("the synced book") { $0.isBook(nkn, snapshot: true, sequence: 499_869_752) }
            var steps = ["10-"]
            for prefix in ["11-", "12-", "13-", "14-", "15-", "16-"] {
                await server.push([try fixtureText(.binance, prefix)])
                steps.append(prefix)
                let expected = try reference(snapshot: "09-", deltas: steps)
                let last = try #require(expected.lastUpdateID)
                try await sink.waitFor("delta up to \(last)") { $0.isBook(nkn, snapshot: false, sequence: last) }
                #expect(sink.book(nkn) == expected.book, "book after \(prefix)")
            }
            let book = try #require(sink.book(nkn))
            #expect(book.bestBid == BookLevel(price: dec("0.3521"), size: dec("672")))
            #expect(book.bestAsk == BookLevel(price: dec("0.3525"), size: dec("3959")))
            #expect(book.bids.count == 610)
            #expect(book.asks.count == 999)
            // A consumer joining now gets the same book from the connector.
            #expect(await connector.book(for: nkn) == book)
            #expect(await connector.book(for: sym("ETH/USDT")) == nil)
            let health = try #require(await connector.health()[nkn])
            #expect(health.isBookInSync)
            #expect(health.count(.gap) == 0)
        }
    }

    @Test func aGapResyncsTheBookFromANewSnapshot() async throws {
        let server = LocalExchangeServer(exchange: .binance)
        try await server.start()
        defer { Task { await server.stop() } }
        await server.setSnapshot(try fixtureText(.binance, "09-"), for: nkn)
        let connector = connector(server)
        try await running(connector, [nkn]) { sink in
            try await server.waitForMessages { $0.contains { $0.contains(#""method":"SUBSCRIBE""#) } }
            await server.push([try fixtureText(.binance, "11-")])
            try await sink.waitFor("the synced book") { $0.isBook(nkn, snapshot: true) }
            // The server's next snapshot is complete up to 13's last id (499869759).
            let newer = try fixtureText(.binance, "09-").replacingOccurrences(of: "499869752", with: "499869759")
            await server.setSnapshot(newer, for: nkn)
            // 12 is lost: 13 starts at 499869758, but the book is at 499869754.
            await server.push([try fixtureText(.binance, "13-")])
            try await sink.waitFor("the resync") { $0.isResynced && $0.symbol == nkn }
            await server.push([try fixtureText(.binance, "14-"), try fixtureText(.binance, "15-")])
            try await sink.waitFor("delta 15") { $0.isBook(nkn, snapshot: false, sequence: 499_869_764) }

            var decoder = Binance.MessageDecoder()
            var expected = Binance.BookStateMachine()
            let snapshot = try decoder.decode(Array(newer.utf8), receivedAt: 0)[0]
            _ = expected.receiveSnapshot(try #require(snapshot.payload.snapshot), lastUpdateID: 499_869_759)
            for prefix in ["14-", "15-"] {
                let event = try decoder.decode(Fixture.named(.binance, prefix), receivedAt: 0)[0]
                _ = expected.receiveDelta(try #require(event.payload.delta), finalUpdateID: try #require(event.sequence))
            }
            #expect(sink.book(nkn) == expected.book)
            let health = try #require(await connector.health()[nkn])
            #expect(health.count(.gap) == 1)
            #expect(health.count(.resync) == 1)
            #expect(health.isBookInSync)
        }
    }

    @Test func aDroppedConnectionReconnectsResubscribesAndResyncs() async throws {
        let server = LocalExchangeServer(exchange: .binance)
        try await server.start()
        defer { Task { await server.stop() } }
        await server.setSnapshot(try fixtureText(.binance, "09-"), for: nkn)
        let connector = connector(server)
        try await running(connector, [nkn]) { sink in
            try await server.waitForMessages { $0.count { $0.contains(#""method":"SUBSCRIBE""#) } == 1 }
            await server.push([try fixtureText(.binance, "11-")])
            try await sink.waitFor("the synced book") { $0.isBook(nkn, snapshot: true) }
            await server.dropConnections()
            try await sink.waitFor("the disconnect") { $0.isDisconnected }
            try await server.waitForConnections(2)
            try await server.waitForMessages { $0.count { $0.contains(#""method":"SUBSCRIBE""#) && $0.contains("nknusdt@depth@100ms") } == 2 }
            #expect(await connector.health()[nkn]?.isBookInSync == false)
            await server.push([try fixtureText(.binance, "11-")])
            try await sink.waitFor("the resync after reconnecting") { $0.isResynced && $0.symbol == nkn }
            let health = try #require(await connector.health()[nkn])
            #expect(health.count(.reconnect) == 1)
            #expect(health.isBookInSync)
        }
    }

    @Test func oneRefusedSymbolLeavesTheOthersFlowing() async throws {
        let server = LocalExchangeServer(exchange: .binance)
        try await server.start()
        defer { Task { await server.stop() } }
        let bad = sym("NOPE/USDT")
        await server.reject([bad])
        let connector = BinanceConnector(configuration: Binance.ConnectorConfiguration(
            webSocketURL: server.webSocketURL, restURL: server.restURL, books: false, connection: fastSettings()))
        try await running(connector, [nkn, bad]) { sink in
            try await sink.waitFor("the refusal") { $0.symbol == bad && $0.payload.error != nil }
            try await sink.waitFor("the ack of the good symbol") { $0.payload.subscription?.symbols == [nkn] }
            let trade = #"{"stream":"nknusdt@trade","data":{"e":"trade","E":1633998512568,"s":"NKNUSDT","t":1,"p":"0.35","q":"10","T":1633998512568,"m":true,"M":true}}"#
            await server.push([trade])
            try await sink.waitFor("the trade") { $0.symbol == nkn && $0.payload.trade != nil }
            #expect(await connector.symbols() == [nkn])
            #expect(await connector.health()[bad] == nil)
            #expect(await server.connections().opened == 1, "disconnects: \(sink.disconnectReasons)")
        }
    }

    @Test func malformedFramesAndPriceSpikesAreCountedAndSkipped() async throws {
        let server = LocalExchangeServer(exchange: .binance)
        try await server.start()
        defer { Task { await server.stop() } }
        let connector = BinanceConnector(configuration: Binance.ConnectorConfiguration(
            webSocketURL: server.webSocketURL, restURL: server.restURL, books: false, connection: fastSettings()))
        func trade(_ id: Int, _ price: String) -> String {
            #"{"stream":"nknusdt@trade","data":{"e":"trade","E":1,"s":"NKNUSDT","t":\#(id),"p":"\#(price)","q":"1","T":1,"m":false,"M":true}}"#
        }
        try await running(connector, [nkn]) { sink in
            try await sink.waitFor("the ack") { $0.payload.subscription != nil }
            await server.pushGarbage()
            await server.push([trade(1, "0.35"), trade(2, "3.5"), trade(3, "0.36")])
            try await sink.waitFor("the two good trades", count: 2) { $0.payload.trade != nil }
            #expect(sink.events.compactMap(\.payload.trade).map(\.id) == ["1", "3"])
            let health = try #require(await connector.health()[nkn])
            #expect(health.count(.decodeError) == 1)
            #expect(health.count(.priceSpikeRejected) == 1)
            #expect(health.messages == 2)
            #expect(await server.connections().opened == 1, "disconnects: \(sink.disconnectReasons)")
        }
    }

    @Test func webSocketPingsAreAnswered() async throws {
        // The server closes a client whose pong is late; pings every 600 ms for 1.5 s.
        let server = LocalExchangeServer(exchange: .binance, configuration: .init(webSocketPingInterval: .milliseconds(600)))
        try await server.start()
        defer { Task { await server.stop() } }
        let connector = BinanceConnector(configuration: Binance.ConnectorConfiguration(
            webSocketURL: server.webSocketURL, restURL: server.restURL, books: false, connection: fastSettings()))
        try await running(connector, [nkn]) { sink in
            try await sink.waitFor("the ack") { $0.payload.subscription != nil }
            try await Task.sleep(for: .milliseconds(1500))
            #expect(await server.connections() == (opened: 1, open: 1), "disconnects: \(sink.disconnectReasons)")
            #expect(!sink.events.contains { $0.isDisconnected })
        }
    }

    @Test func aServerShutdownNoticeReconnects() async throws {
        let server = LocalExchangeServer(exchange: .binance)
        try await server.start()
        defer { Task { await server.stop() } }
        let connector = BinanceConnector(configuration: Binance.ConnectorConfiguration(
            webSocketURL: server.webSocketURL, restURL: server.restURL, books: false, connection: fastSettings()))
        try await running(connector, [nkn]) { sink in
            try await sink.waitFor("the ack") { $0.payload.subscription != nil }
            await server.push([try fixtureText(.binance, "17-")])
            try await server.waitForConnections(2)
            try await sink.waitFor("the second ack", count: 2) { $0.payload.subscription != nil }
            #expect(sink.events.contains { $0.isDisconnected })
        }
    }

    @Test func symbolsCanBeAddedAndRemovedWhileRunning() async throws {
        let server = LocalExchangeServer(exchange: .binance)
        try await server.start()
        defer { Task { await server.stop() } }
        let connector = BinanceConnector(configuration: Binance.ConnectorConfiguration(
            webSocketURL: server.webSocketURL, restURL: server.restURL, books: false, connection: fastSettings()))
        let eth = sym("ETH/USDT")
        try await running(connector, [nkn]) { sink in
            try await sink.waitFor("the first ack") { $0.payload.subscription != nil }
            try await connector.subscribe([eth, nkn])
            try await server.waitForMessages { $0.contains { $0.contains(#""method":"SUBSCRIBE""#) && $0.contains("ethusdt@trade") } }
            try await sink.waitFor("the ack for ETH") { $0.payload.subscription?.symbols == [eth] }
            #expect(await connector.symbols() == [nkn, eth])
            try await connector.unsubscribe([nkn])
            try await server.waitForMessages { $0.contains { $0.contains(#""method":"UNSUBSCRIBE""#) && $0.contains("nknusdt@trade") } }
            #expect(await connector.symbols() == [eth])
            #expect(await connector.health().keys.sorted() == [eth])
            #expect(await server.received().filter { $0.contains(#""method":"SUBSCRIBE""#) && $0.contains("nknusdt") }.count == 1)
        }
    }

    @Test func theConnectionIsReplacedBeforeItsMaximumAge() async throws {
        let server = LocalExchangeServer(exchange: .binance)
        try await server.start()
        defer { Task { await server.stop() } }
        let connector = BinanceConnector(configuration: Binance.ConnectorConfiguration(
            webSocketURL: server.webSocketURL, restURL: server.restURL, books: false,
            maximumConnectionAge: .milliseconds(150), connection: fastSettings()))
        try await running(connector, [nkn]) { sink in
            try await server.waitForConnections(2)
            try await sink.waitFor("an ack on each connection", count: 2) { $0.payload.subscription != nil }
            let reason = sink.disconnectReasons.first
            #expect(reason?.contains("planned reconnect") == true)
        }
    }
}
