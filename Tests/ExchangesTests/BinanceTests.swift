import Testing
@testable import Exchanges

@Suite struct BinanceDecoderTests {
    @Test(arguments: [
        ("01-", "other(request SUBSCRIBE)"), ("02-", "subscribed"), ("03-", "other(request UNSUBSCRIBE)"), ("04-", "error"),
        ("05-", "ticker"), ("06-", "trade"), ("07-", "trade"), ("08-", "ticker"), ("09-", "bookSnapshot"),
        ("10-", "bookDelta"), ("11-", "bookDelta"), ("12-", "bookDelta"), ("13-", "bookDelta"), ("14-", "bookDelta"),
        ("15-", "bookDelta"), ("16-", "bookDelta"), ("17-", "serverShutdown"), ("18-", "bookDelta"), ("19-", "ticker"),
        ("20-", "bookSnapshot"),
    ])
    func decodesEveryFixtureKind(_ prefix: String, _ kind: String) throws {
        var decoder = Binance.MessageDecoder()
        let events = try Fixture.decode(prefix, with: &decoder, receivedAt: 42)
        #expect(events.map(\.payload.name) == [kind])
        #expect(events.allSatisfy { $0.exchange == .binance && $0.receiveTime == 42 })
    }

    @Test func decodesTheTicker() throws {
        var decoder = Binance.MessageDecoder()
        let event = try #require(try Fixture.decode("05-", with: &decoder).first)
        #expect(event.symbol == sym("ETH/USDT"))
        #expect(event.eventTime == 1_653_812_650_349)
        #expect(event.payload.ticker == Ticker(last: dec("1792.84"), bid: dec("1792.83"), bidSize: dec("1.6274"),
                                               ask: dec("1792.84"), askSize: dec("20.2914"), volume24h: dec("471703.5311")))
    }

    @Test func decodesTradesWithTheTakerSide() throws {
        var decoder = Binance.MessageDecoder()
        // `m: true`: the buyer was the maker, so the taker sold.
        let trade = try #require(try Fixture.decode("06-", with: &decoder).first)
        #expect(trade.symbol == sym("BNB/BTC"))
        #expect(trade.eventTime == 1_672_515_782_136)
        #expect(trade.payload.trade == Trade(price: dec("0.001"), size: dec("100"), takerSide: .sell, id: "12345"))
        // `m: false`: the taker bought. Aggregate trades carry their aggregate id `a`.
        let aggregate = try #require(try Fixture.decode("07-", with: &decoder).first)
        #expect(aggregate.symbol == sym("NKN/USDT"))
        #expect(aggregate.payload.trade == Trade(price: dec("0.3528"), size: dec("58"), takerSide: .buy, id: "15683430"))
    }

    @Test func decodesBookTickerAndDepth() throws {
        var decoder = Binance.MessageDecoder()
        let ticker = try #require(try Fixture.decode("08-", with: &decoder).first)
        #expect(ticker.sequence == 499_869_768)
        #expect(ticker.eventTime == nil)
        #expect(ticker.payload.ticker == Ticker(bid: dec("0.3521"), bidSize: dec("672"), ask: dec("0.3526"), askSize: dec("3199")))

        let delta = try #require(try Fixture.decode("16-", with: &decoder).first)
        #expect(delta.symbol == sym("NKN/USDT"))
        #expect(delta.sequence == 499_869_767)
        #expect(delta.eventTime == 1_633_998_513_369)
        let update = try #require(delta.payload.delta)
        #expect(update.firstSequence == 499_869_765)
        #expect(update.bids == [BookLevel(price: dec("0.3512"), size: dec("6567")), BookLevel(price: dec("0.3508"), size: dec("8246"))])
        #expect(update.asks == [BookLevel(price: dec("0.3534"), size: .zero)])

        let snapshot = try #require(try Fixture.decode("09-", with: &decoder).first)
        #expect(snapshot.symbol == nil)  // the REST body does not name it
        #expect(snapshot.sequence == 499_869_752)
        #expect(snapshot.payload.snapshot?.bids.count == 609)
        #expect(snapshot.payload.snapshot?.asks.count == 1000)
    }

    @Test func takesAPartialDepthSymbolFromTheStreamName() throws {
        var decoder = Binance.MessageDecoder()
        let frame = #"{"stream":"btcusdt@depth5@100ms","data":{"lastUpdateId":160,"bids":[["0.0024","10"]],"asks":[]}}"#
        let event = try #require(try decoder.decode(Array(frame.utf8), receivedAt: 0).first)
        #expect(event.symbol == sym("BTC/USDT"))
        #expect(event.sequence == 160)
    }

    @Test func decodesControlReplies() throws {
        var decoder = Binance.MessageDecoder()
        #expect(try Fixture.decode("02-", with: &decoder).first?.payload.subscription == Subscription(requestID: "1"))
        #expect(try Fixture.decode("04-", with: &decoder).first?.payload.error ==
            ExchangeMessageError(code: "2", message: "Invalid request: invalid stream", requestID: "2"))
        let shutdown = try #require(try Fixture.decode("17-", with: &decoder).first)
        #expect(shutdown.eventTime == 1_770_123_456_789)
        let list = #"{"result":["btcusdt@depth@100ms","btcusdt@trade"],"id":3}"#
        #expect(try decoder.decode(Array(list.utf8), receivedAt: 0).first?.payload.subscription ==
            Subscription(channels: ["btcusdt@depth@100ms", "btcusdt@trade"], requestID: "3"))
        let unknown = #"{"stream":"btcusdt@kline_1m","data":{"e":"kline","E":1,"s":"BTCUSDT","k":{}}}"#
        #expect(try decoder.decode(Array(unknown.utf8), receivedAt: 0).map(\.payload.name) == ["other(event kline)"])
    }
}

@Suite struct BinanceBookTests {
    private func deltas(_ prefixes: [String]) throws -> [(BookUpdate, UInt64)] {
        var decoder = Binance.MessageDecoder()
        return try prefixes.map { prefix in
            let event = try #require(try Fixture.decode(prefix, with: &decoder).first)
            return (try #require(event.payload.delta), try #require(event.sequence))
        }
    }

    private func snapshot() throws -> (BookUpdate, UInt64) {
        var decoder = Binance.MessageDecoder()
        let event = try #require(try Fixture.decode("09-", with: &decoder).first)
        return (try #require(event.payload.snapshot), try #require(event.sequence))
    }

    @Test func reachesTheExpectedBook() throws {
        var machine = Binance.BookStateMachine()
        let updates = try deltas(["10-", "11-", "12-", "13-", "14-", "15-", "16-"])
        // File 10 arrives before the REST reply: buffered, and it asks for the snapshot.
        #expect(machine.receiveDelta(updates[0].0, finalUpdateID: updates[0].1) == .fetchSnapshot)
        let (book, lastUpdateID) = try snapshot()
        #expect(machine.receiveSnapshot(book, lastUpdateID: lastUpdateID) == .applied)
        #expect(machine.lastUpdateID == 499_869_752)  // 10 was discarded: its u is not above the snapshot
        for (delta, u) in updates.dropFirst() {
            #expect(machine.receiveDelta(delta, finalUpdateID: u) == .applied)
        }
        #expect(machine.lastUpdateID == 499_869_767)
        #expect(machine.book.bestBid == BookLevel(price: dec("0.35210000"), size: dec("672.00000000")))
        #expect(machine.book.bestAsk == BookLevel(price: dec("0.35250000"), size: dec("3959.00000000")))
        #expect(machine.book.bids.count == 610)
        #expect(machine.book.asks.count == 999)
        #expect(machine.book.asks.size(at: dec("0.3534")) == nil)
        #expect(!machine.book.isCrossed)
    }

    @Test func appliesBufferedEventsWhenTheSnapshotArrives() throws {
        var machine = Binance.BookStateMachine()
        let updates = try deltas(["10-", "11-", "12-", "13-", "14-", "15-", "16-"])
        #expect(machine.receiveDelta(updates[0].0, finalUpdateID: updates[0].1) == .fetchSnapshot)
        for (delta, u) in updates.dropFirst() {
            #expect(machine.receiveDelta(delta, finalUpdateID: u) == BookSyncAction.none)
        }
        let (book, lastUpdateID) = try snapshot()
        #expect(machine.receiveSnapshot(book, lastUpdateID: lastUpdateID) == .applied)
        #expect(machine.lastUpdateID == 499_869_767)
        #expect(machine.book.bids.count == 610)
        #expect(machine.book.asks.count == 999)
        // A replayed old event is stale now.
        #expect(machine.receiveDelta(updates[3].0, finalUpdateID: updates[3].1) == .discardedStale)
    }

    @Test func aGapForcesAResync() throws {
        var machine = Binance.BookStateMachine()
        let (book, lastUpdateID) = try snapshot()
        let updates = try deltas(["11-", "13-", "14-"])
        #expect(machine.receiveDelta(updates[0].0, finalUpdateID: updates[0].1) == .fetchSnapshot)
        #expect(machine.receiveSnapshot(book, lastUpdateID: lastUpdateID) == .applied)
        #expect(machine.lastUpdateID == 499_869_754)
        // File 12 is dropped: 13 starts at U 499869758, but the book is at 499869754.
        #expect(machine.receiveDelta(updates[1].0, finalUpdateID: updates[1].1) ==
            .resync(.gap(expected: 499_869_755, received: 499_869_758)))
        #expect(!machine.isSynced)
        #expect(machine.book.isEmpty)
        // Buffering again from 13: the old snapshot ends before 13's U - 1, so fetch again.
        #expect(machine.receiveDelta(updates[2].0, finalUpdateID: updates[2].1) == BookSyncAction.none)
        #expect(machine.receiveSnapshot(book, lastUpdateID: lastUpdateID) == .fetchSnapshot)
    }

    @Test func aGapInsideTheBufferForcesAResync() throws {
        var machine = Binance.BookStateMachine()
        let (book, lastUpdateID) = try snapshot()
        for (delta, u) in try deltas(["11-", "13-"]) { _ = machine.receiveDelta(delta, finalUpdateID: u) }
        #expect(machine.receiveSnapshot(book, lastUpdateID: lastUpdateID) == .resync(.gap(expected: 499_869_755, received: 499_869_758)))
        #expect(!machine.isSynced)
    }

    @Test func aFullBufferStartsOver() throws {
        var machine = Binance.BookStateMachine(maximumBuffered: 2)
        let updates = try deltas(["11-", "12-", "13-"])
        #expect(machine.receiveDelta(updates[0].0, finalUpdateID: updates[0].1) == .fetchSnapshot)
        #expect(machine.receiveDelta(updates[1].0, finalUpdateID: updates[1].1) == BookSyncAction.none)
        #expect(machine.receiveDelta(updates[2].0, finalUpdateID: updates[2].1) == .resync(.bufferOverflow(limit: 2)))
        machine.reset()
        #expect(machine.receiveDelta(updates[0].0, finalUpdateID: updates[0].1) == .fetchSnapshot)
    }
}

@Suite struct BinanceRequestTests {
    @Test func buildsTheDocumentedMessages() throws {
        let streams = [Binance.Stream(sym("BTC/USDT"), .aggregateTrade).name(), Binance.Stream(sym("BTC/USDT"), .depth(every100ms: false)).name()]
        #expect(try sameJSON(Binance.Requests.subscribe(streams, id: 1), Fixture.named(.binance, "01-")))
        #expect(try sameJSON(Binance.Requests.unsubscribe(["btcusdt@depth"], id: 312), Fixture.named(.binance, "03-")))
    }

    @Test func namesStreamsAndPaths() {
        let symbol = sym("ETH/USDT")
        #expect(Binance.Stream(symbol, .depth(every100ms: true)).name() == "ethusdt@depth@100ms")
        #expect(Binance.Stream(symbol, .partialDepth(levels: 10, every100ms: true)).name() == "ethusdt@depth10@100ms")
        #expect(Binance.Stream(symbol, .bookTicker).name() == "ethusdt@bookTicker")
        #expect(Binance.Requests.combinedStreamPath(["ethusdt@trade", "ethusdt@ticker"]) == "/stream?streams=ethusdt@trade/ethusdt@ticker")
        #expect(Binance.Requests.depthSnapshotPath(symbol, limit: 1000) == "/api/v3/depth?symbol=ETHUSDT&limit=1000")
    }
}
