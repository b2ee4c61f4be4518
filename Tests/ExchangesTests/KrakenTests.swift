import Testing
@testable import Exchanges

@Suite struct KrakenDecoderTests {
    @Test(arguments: [
        ("01-", ["connected"]), ("02-", ["other(request subscribe)"]), ("03-", ["subscribed"]), ("04-", ["other(request subscribe)"]),
        ("05-", ["error"]), ("06-", ["heartbeat"]), ("07-", ["other(request ping)"]), ("08-", ["heartbeat"]), ("09-", ["ticker"]),
        ("10-", ["trade", "trade"]), ("11-", ["bookSnapshot"]), ("12-", ["bookDelta"]), ("13-", ["bookSnapshot"]),
        ("14-", ["other(request unsubscribe)"]),
    ])
    func decodesEveryFixtureKind(_ prefix: String, _ kinds: [String]) throws {
        var decoder = Kraken.MessageDecoder()
        let events = try Fixture.decode(prefix, with: &decoder)
        #expect(events.map(\.payload.name) == kinds)
        #expect(events.allSatisfy { $0.exchange == .kraken })
    }

    @Test func readsTheConnectionIDAboveInt64() throws {
        var decoder = Kraken.MessageDecoder()
        let event = try #require(try Fixture.decode("01-", with: &decoder).first)
        #expect(event.payload == .connected(ConnectionInfo(connectionID: "13834774380200032777", status: "online", version: "2.0.0")))
    }

    @Test func keepsTheLiteralNumberText() throws {
        var decoder = Kraken.MessageDecoder()
        let ticker = try #require(try Fixture.decode("09-", with: &decoder).first)
        #expect(ticker.symbol == sym("ALGO/USD"))
        #expect(ticker.eventTime == 1_695_632_671_742)
        #expect(ticker.payload.ticker == Ticker(last: dec("0.10035"), bid: dec("0.10025"), bidSize: dec("740"), ask: dec("0.10036"),
                                                askSize: dec("1361.44813783"), volume24h: dec("997038.98383185")))
        let trades = try Fixture.decode("10-", with: &decoder)
        #expect(trades.map(\.payload.trade) == [
            Trade(price: dec("0.5147"), size: dec("6423.46326"), takerSide: .buy, id: "4665846"),
            Trade(price: dec("0.5147"), size: dec("1136.19677815"), takerSide: .buy, id: "4665847"),
        ])
        #expect(trades.first?.symbol == sym("MATIC/USD"))
    }

    @Test func decodesAcksAndErrors() throws {
        var decoder = Kraken.MessageDecoder()
        let ack = try #require(try Fixture.decode("03-", with: &decoder).first)
        #expect(ack.symbol == sym("ALGO/USD"))
        #expect(ack.payload.subscription == Subscription(channels: ["book"], symbols: [sym("ALGO/USD")]))
        let error = try #require(try Fixture.decode("05-", with: &decoder).first)
        #expect(error.symbol == sym("BTC/EUR"))  // v1's XBT read as BTC
        #expect(error.payload.error == ExchangeMessageError(message: "Currency pair not supported XBT/EUR"))
        let pong = try #require(try Fixture.decode("08-", with: &decoder).first)
        #expect(pong.eventTime == 1_695_564_623_799)
    }

    @Test func decodesBookMessagesWithChecksums() throws {
        var decoder = Kraken.MessageDecoder()
        let update = try #require(try Fixture.decode("12-", with: &decoder).first)
        #expect(update.payload.delta == BookUpdate(bids: [BookLevel(price: dec("0.5657"), size: dec("1098.3947558"))], checksum: 2_114_181_697))
        let snapshot = try #require(try Fixture.decode("13-", with: &decoder).first?.payload.snapshot)
        #expect(snapshot.checksum == 3_310_070_434)
        #expect(snapshot.bids.first == BookLevel(price: dec("45283.5"), size: dec("0.1")))
    }
}

@Suite struct KrakenChecksumTests {
    private func book(_ prefix: String) throws -> BookUpdate {
        var decoder = Kraken.MessageDecoder()
        let event = try #require(try Fixture.decode(prefix, with: &decoder).first)
        return try #require(event.payload.snapshot ?? event.payload.delta)
    }

    @Test func crc32MatchesZlib() {
        var crc = CRC32()
        for byte in "123456789".utf8 { crc.update(byte) }
        #expect(crc.value == 0xCBF4_3926)
        #expect(CRC32().value == 0)
    }

    @Test func matchesThePublishedChecksums() throws {
        var btc = Kraken.BookStateMachine(precision: Kraken.Precision(price: 1, quantity: 8))
        #expect(btc.receiveSnapshot(try book("13-")) == .applied)
        #expect(Kraken.Checksum.compute(btc.book, precision: btc.precision) == 3_310_070_434)

        var matic = Kraken.BookStateMachine(precision: Kraken.Precision(price: 4, quantity: 8))
        #expect(matic.receiveSnapshot(try book("11-")) == .applied)
        #expect(Kraken.Checksum.compute(matic.book, precision: matic.precision) == 2_439_117_997)
        #expect(matic.receiveUpdate(try book("12-")) == .applied)
        #expect(Kraken.Checksum.compute(matic.book, precision: matic.precision) == 2_114_181_697)
        #expect(matic.book.bids.size(at: dec("0.5657")) == dec("1098.3947558"))
    }

    /// The MATIC book only matches when `0.566` is written `0.5660`: the raw text is not enough.
    @Test func theRawNumberTextIsNotEnough() throws {
        var levels = OrderBook()
        levels.replace(with: try book("11-"))
        // Precision 0 spells each value with just its own digits, as the frame's text does.
        let raw = Kraken.Checksum.compute(levels, precision: Kraken.Precision(price: 0, quantity: 0))
        #expect(raw == 3_830_085_102)  // SOURCES.md: the raw text gives 3830085102
        var matic = Kraken.BookStateMachine(precision: Kraken.Precision(price: 0, quantity: 0))
        #expect(matic.receiveSnapshot(try book("11-")) == .resync(.checksumMismatch(expected: 2_439_117_997, computed: raw)))
    }

    @Test func aCorruptedLevelFailsVerification() throws {
        var snapshot = try book("13-")
        snapshot.asks[3].size = dec("1.54560912")  // one satoshi off
        var machine = Kraken.BookStateMachine(precision: Kraken.Precision(price: 1, quantity: 8))
        guard case let .resync(problem) = machine.receiveSnapshot(snapshot) else {
            Issue.record("a corrupted book must fail verification")
            return
        }
        #expect(problem.incident == .checksumFailure)
        #expect(!machine.isSynced && machine.book.isEmpty)
        #expect(machine.receiveUpdate(try book("12-")) == BookSyncAction.none)  // no book until a new snapshot

        var matic = Kraken.BookStateMachine(precision: Kraken.Precision(price: 4, quantity: 8))
        _ = matic.receiveSnapshot(try book("11-"))
        var update = try book("12-")
        update.bids[0].size = dec("1098.3947559")
        guard case let .resync(problem) = matic.receiveUpdate(update) else {
            Issue.record("a corrupted update must fail verification")
            return
        }
        #expect(problem.description.hasPrefix("checksum mismatch: exchange sent 2114181697"))
        #expect(!matic.isSynced)
    }

    @Test func truncatesToTheSubscribedDepth() throws {
        var machine = Kraken.BookStateMachine(precision: Kraken.Precision(price: 4, quantity: 8))
        _ = machine.receiveSnapshot(try book("11-"))
        // A better bid pushes the worst of ten off the book; the checksum is left out here.
        let update = BookUpdate(bids: [BookLevel(price: dec("0.5667"), size: dec("1"))])
        #expect(machine.receiveUpdate(update) == .applied)
        #expect(machine.book.bids.count == 10)
        #expect(machine.book.bids.size(at: dec("0.5657")) == nil)
        #expect(machine.book.bestBid?.price == dec("0.5667"))
        // The cut level is reported as a removal, so the deltas describe the same book.
        #expect(machine.fellOutOfDepth == BookUpdate(bids: [BookLevel(price: dec("0.5657"), size: .zero)]))
        var consumer = OrderBook()
        consumer.replace(with: try book("11-"))
        consumer.apply(update)
        consumer.apply(machine.fellOutOfDepth)
        #expect(consumer == machine.book)
        // A message that pushes nothing out reports nothing.
        #expect(machine.receiveUpdate(BookUpdate(asks: [BookLevel(price: dec("0.5668"), size: dec("2"))])) == .applied)
        #expect(machine.fellOutOfDepth == BookUpdate())
    }
}

@Suite struct KrakenRequestTests {
    @Test func buildsTheDocumentedMessages() throws {
        let pair = [sym("ALGO/USD"), sym("MATIC/USD")]
        #expect(try sameJSON(Kraken.Requests.subscribe(.book(), pair), Fixture.named(.kraken, "02-")))
        #expect(try sameJSON(Kraken.Requests.subscribe(.ticker(), [sym("ALGO/USD")]), Fixture.named(.kraken, "04-")))
        #expect(try sameJSON(Kraken.Requests.unsubscribe(.book(), pair), Fixture.named(.kraken, "14-")))
        #expect(try sameJSON(Kraken.Requests.ping(requestID: 101), Fixture.named(.kraken, "07-")))
        #expect(Kraken.Requests.subscribe(.book(depth: 10), [sym("BTC/USD")], snapshot: true, requestID: 7) ==
            #"{"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":10,"snapshot":true},"req_id":7}"#)
        #expect(Kraken.Requests.subscribe(.ticker(eventTrigger: .bbo), [sym("BTC/USD")]) ==
            #"{"method":"subscribe","params":{"channel":"ticker","symbol":["BTC/USD"],"event_trigger":"bbo"}}"#)
    }
}
