import Testing
@testable import Exchanges

@Suite struct CoinbaseDecoderTests {
    @Test(arguments: [
        ("01-", ["other(request subscribe)"]), ("02-", ["other(request subscribe)"]), ("03-", ["subscribed"]),
        ("04-", ["heartbeat"]), ("05-", ["heartbeat"]), ("06-", ["ticker"]), ("07-", ["ticker"]), ("08-", ["trade"]),
        ("09-", ["trade"]), ("10-", ["bookSnapshot"]), ("11-", ["bookSnapshot"]), ("12-", ["bookDelta"]),
        ("13-", ["bookDelta"]), ("14-", ["bookDelta"]), ("15-", ["bookDelta"]), ("16-", ["bookDelta"]), ("17-", ["error"]),
        ("30-", ["subscribed"]), ("31-", ["bookSnapshot"]), ("32-", ["bookDelta"]), ("33-", ["ticker"]), ("34-", ["trade"]),
        ("35-", ["error"]),
    ])
    func decodesEveryFixtureKind(_ prefix: String, _ kinds: [String]) throws {
        var decoder = Coinbase.MessageDecoder()
        let events = try Fixture.decode(prefix, with: &decoder)
        #expect(events.map(\.payload.name) == kinds)
        #expect(events.allSatisfy { $0.exchange == .coinbase })
    }

    @Test func decodesTheEnvelopeAndTicker() throws {
        var decoder = Coinbase.MessageDecoder()
        let event = try #require(try Fixture.decode("07-", with: &decoder).first)
        #expect(decoder.lastFrameSequence == 10)
        #expect(event.sequence == 10)
        #expect(event.symbol == sym("ETH/USD"))
        #expect(event.eventTime == 1_786_309_548_298)  // 2026-08-09T21:05:48.298Z
        #expect(event.payload.ticker == Ticker(last: dec("1919.41"), bid: dec("1919.44"), bidSize: dec("0.02858092"),
                                               ask: dec("1919.49"), askSize: dec("0.07814824"), volume24h: dec("19975.95927439")))
    }

    @Test func readsHeartbeatCountersAsNumberOrString() throws {
        var decoder = Coinbase.MessageDecoder()
        #expect(try Fixture.decode("04-", with: &decoder).first?.payload == .heartbeat(Heartbeat(counter: 41691)))
        #expect(try Fixture.decode("05-", with: &decoder).first?.payload == .heartbeat(Heartbeat(counter: 3049)))
    }

    /// `side` is the maker's: the live SELL trade at 65083.67 hit the best ask (ticker 06:
    /// bid 65083.66, ask 65083.67), so its taker bought.
    @Test func flipsTheMakerSideToTheTakerSide() throws {
        var decoder = Coinbase.MessageDecoder()
        let trade = try #require(try Fixture.decode("08-", with: &decoder).first)
        #expect(trade.symbol == sym("BTC/USD"))
        #expect(trade.eventTime == 1_786_309_548_167)  // the trade's own time
        #expect(trade.payload.trade == Trade(price: dec("65083.67"), size: dec("0.01034361"), takerSide: .buy, id: "1068572091"))
        let legacy = try #require(try Fixture.decode("34-", with: &decoder).first)
        #expect(legacy.sequence == 177_100_030)
        #expect(legacy.payload.trade == Trade(price: dec("0.00001305"), size: dec("985"), takerSide: .buy, id: "280232"))
    }

    @Test func decodesSubscriptionsAndErrors() throws {
        var decoder = Coinbase.MessageDecoder()
        #expect(try Fixture.decode("03-", with: &decoder).first?.payload.subscription ==
            Subscription(channels: ["market_trades"], symbols: [sym("BTC/USD"), sym("ETH/USD")]))
        #expect(try Fixture.decode("17-", with: &decoder).first?.payload.error == ExchangeMessageError(message: "authentication failure"))
        #expect(try Fixture.decode("35-", with: &decoder).first?.payload.error ==
            ExchangeMessageError(message: "Failed to subscribe: No channels provided"))
        let legacy = try #require(try Fixture.decode("30-", with: &decoder).first?.payload.subscription)
        #expect(legacy.channels == ["level2"])
        #expect(legacy.symbols.count == 10)
    }

    @Test func decodesLegacyBookMessages() throws {
        var decoder = Coinbase.MessageDecoder()
        let update = try #require(try Fixture.decode("32-", with: &decoder).first)
        #expect(update.symbol == sym("SKL/GBP"))
        #expect(update.payload.delta == BookUpdate(asks: [BookLevel(price: dec("0.5762"), size: dec("335"))]))
        let ticker = try #require(try Fixture.decode("33-", with: &decoder).first)
        #expect(ticker.sequence == 333_938_798)
        #expect(ticker.payload.ticker == Ticker(last: dec("14.7775"), bid: dec("14.755"), ask: dec("14.806"), volume24h: dec("94381.28")))
    }

    @Test func skipsUnknownChannels() throws {
        var decoder = Coinbase.MessageDecoder()
        let frame = #"{"channel":"status","timestamp":"2026-08-09T21:05:48.2Z","sequence_num":7,"events":[]}"#
        #expect(try decoder.decode(Array(frame.utf8), receivedAt: 0).map(\.payload.name) == ["other(channel status)"])
        #expect(decoder.lastFrameSequence == 7)
        let empty = #"{"channel":"market_trades","timestamp":"2026-08-09T21:05:48.2Z","sequence_num":8,"events":[]}"#
        #expect(try decoder.decode(Array(empty.utf8), receivedAt: 0).isEmpty)
        #expect(decoder.lastFrameSequence == 8)
    }
}

@Suite struct CoinbaseBookTests {
    @Test func reachesTheExpectedBook() throws {
        var decoder = Coinbase.MessageDecoder()
        var machine = Coinbase.BookStateMachine()
        var tracker = Coinbase.SequenceTracker()
        var checks: [Coinbase.SequenceTracker.Check] = []
        for prefix in ["11-", "12-", "13-", "14-", "15-", "16-"] {
            let event = try #require(try Fixture.decode(prefix, with: &decoder).first)
            checks.append(tracker.observe(try #require(decoder.lastFrameSequence)))
            #expect(event.symbol == sym("ETH/USD"))
            switch event.payload {
            case let .bookSnapshot(snapshot): #expect(machine.receiveSnapshot(snapshot) == .applied)
            case let .bookDelta(delta): #expect(machine.receiveUpdate(delta) == .applied)
            default: Issue.record("unexpected \(event.payload.name)")
            }
        }
        #expect(machine.book.bestBid == BookLevel(price: dec("1919.44"), size: dec("0.02858092")))
        #expect(machine.book.bestAsk == BookLevel(price: dec("1919.49"), size: dec("0.07814824")))
        #expect(machine.book.bids.count == 6934)
        #expect(machine.book.asks.count == 16401)
        #expect(machine.book.bids.size(at: dec("1679.53")) == nil)  // added by 13, changed by 14, removed by 15
        // Frames 24, 26 and 28 (other channels) are not in the fixtures, so the tracker sees gaps.
        #expect(checks == [.inOrder, .inOrder, .inOrder, .gap(expected: 24, received: 25),
                           .gap(expected: 26, received: 27), .gap(expected: 28, received: 29)])
    }

    @Test func tracksTheConnectionSequence() {
        var tracker = Coinbase.SequenceTracker()
        #expect(tracker.observe(0) == .inOrder)
        #expect(tracker.observe(1) == .inOrder)
        #expect(tracker.observe(1) == .stale)
        #expect(tracker.observe(0) == .stale)
        #expect(tracker.observe(5) == .gap(expected: 2, received: 5))
        #expect(tracker.observe(6) == .inOrder)
        tracker.reset()
        #expect(tracker.observe(0) == .inOrder)
    }

    @Test func ignoresUpdatesUntilTheSnapshot() throws {
        var decoder = Coinbase.MessageDecoder()
        var machine = Coinbase.BookStateMachine()
        let update = try #require(try Fixture.decode("12-", with: &decoder).first?.payload.delta)
        #expect(machine.receiveUpdate(update) == BookSyncAction.none)
        let snapshot = try #require(try Fixture.decode("10-", with: &decoder).first?.payload.snapshot)
        #expect(machine.receiveSnapshot(snapshot) == .applied)
        #expect(machine.book.bids.count == 2)
        machine.invalidate()
        #expect(!machine.isSynced && machine.book.isEmpty)
        #expect(machine.receiveUpdate(update) == BookSyncAction.none)
    }
}

@Suite struct CoinbaseRequestTests {
    @Test func buildsTheRecordedMessages() throws {
        let symbols = [sym("BTC/USD"), sym("ETH/USD")]
        #expect(try sameJSON(Coinbase.Requests.subscribe(.level2, symbols), Fixture.named(.coinbase, "01-")))
        #expect(try sameJSON(Coinbase.Requests.subscribe(.heartbeats, symbols), Fixture.named(.coinbase, "02-")))
        #expect(Coinbase.Requests.unsubscribe(.ticker, []) == #"{"type":"unsubscribe","channel":"ticker"}"#)
        #expect(Coinbase.Requests.subscribe(.marketTrades, [sym("BTC/USD")], jwt: "t") ==
            #"{"type":"subscribe","product_ids":["BTC-USD"],"channel":"market_trades","jwt":"t"}"#)
    }
}
