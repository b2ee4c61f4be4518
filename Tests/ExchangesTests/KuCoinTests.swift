import Foundation
import Testing
@testable import Exchanges

@Suite struct KuCoinDecoderTests {
    @Test(arguments: [
        ("01-", "other(bullet-public)"), ("02-", "connected"), ("03-", "other(request subscribe)"), ("04-", "other(request subscribe)"),
        ("05-", "subscribed"), ("06-", "other(request ping)"), ("07-", "heartbeat"), ("08-", "ticker"), ("09-", "ticker"),
        ("10-", "trade"), ("11-", "trade"), ("12-", "bookDelta"), ("13-", "bookSnapshot"), ("14-", "bookDelta"),
        ("15-", "bookDelta"), ("16-", "bookDelta"), ("17-", "bookDelta"), ("18-", "bookDelta"), ("19-", "bookDelta"),
        ("20-", "error"), ("21-", "error"),
    ])
    func decodesEveryFixtureKind(_ prefix: String, _ kind: String) throws {
        var decoder = KuCoin.MessageDecoder()
        let events = try Fixture.decode(prefix, with: &decoder)
        #expect(events.map(\.payload.name) == [kind])
        #expect(events.allSatisfy { $0.exchange == .kucoin })
    }

    @Test func decodesTickers() throws {
        var decoder = KuCoin.MessageDecoder()
        let ticker = try #require(try Fixture.decode("08-", with: &decoder).first)
        #expect(ticker.symbol == sym("FET/BTC"))
        #expect(ticker.sequence == 38_509_148)
        #expect(ticker.eventTime == 1_677_321_643_926)
        #expect(ticker.payload.ticker == Ticker(last: dec("0.000018628"), bid: dec("0.000018622"), bidSize: dec("68.5961"),
                                                ask: dec("0.000018679"), askSize: dec("258.4609")))
        // `/market/ticker:all` names the symbol in `subject`.
        #expect(try Fixture.decode("09-", with: &decoder).first?.symbol == sym("FTM/ETH"))
    }

    @Test func decodesMatchesWithNanosecondTimes() throws {
        var decoder = KuCoin.MessageDecoder()
        let match = try #require(try Fixture.decode("10-", with: &decoder).first)
        #expect(match.symbol == sym("DAPPT/BTC"))
        #expect(match.eventTime == 1_619_378_327_739)
        #expect(match.sequence == 1_612_701_563_869)
        #expect(match.payload.trade == Trade(price: dec("0.0000001117"), size: dec("81.8814"), takerSide: .buy,
                                             id: "6085c09769bc506996295e36"))
    }

    @Test func decodesLevel2Changes() throws {
        var decoder = KuCoin.MessageDecoder()
        let current = try #require(try Fixture.decode("12-", with: &decoder).first)
        #expect(current.eventTime == 1_729_816_425_625)
        #expect(current.sequence == 14_701_689_783)
        #expect(current.payload.delta == BookUpdate(asks: [BookLevel(price: dec("67993.3"), size: dec("1.21427407"), sequence: 14_701_689_783)],
                                                    firstSequence: 14_701_689_783))
        // Price "0" only advances the sequence: no level.
        let marker = try #require(try Fixture.decode("17-", with: &decoder).first)
        #expect(marker.payload.delta == BookUpdate(firstSequence: 1_613_277_183_895))
        #expect(marker.eventTime == nil)  // 2021 frames had no time
    }

    @Test func decodesControlMessages() throws {
        var decoder = KuCoin.MessageDecoder()
        #expect(try Fixture.decode("02-", with: &decoder).first?.payload == .connected(ConnectionInfo(connectionID: "NSkIrWGB1s")))
        #expect(try Fixture.decode("05-", with: &decoder).first?.payload.subscription == Subscription(requestID: "1"))
        #expect(try Fixture.decode("20-", with: &decoder).first?.payload.error ==
            ExchangeMessageError(code: "509", message: "exceed max subscription count limitation of 400 per session",
                                 requestID: "019ae22f-4718-7da4-846d-999b085cc24a"))
    }

    @Test func readsTheConnectToken() throws {
        let token = try KuCoin.ConnectToken(json: Fixture.named(.kucoin, "01-"))
        #expect(token.servers == [KuCoin.ConnectToken.Server(endpoint: "wss://ws-api-spot.kucoin.com/", encrypt: true,
                                                             pingInterval: 18000, pingTimeout: 10000)])
        #expect(token.token.hasPrefix("2neAiuYvAU61ZDXANAGAsiL4"))
        #expect(token.url(connectID: "abc") == "wss://ws-api-spot.kucoin.com/?token=\(token.token)&connectId=abc")
        #expect(throws: ExchangeDecodeError.self) { try KuCoin.ConnectToken(json: Fixture.named(.kucoin, "13-")) }
        #expect(throws: ExchangeDecodeError.self) { try KuCoin.ConnectToken(json: Array(#"{"code":"400100","msg":"x"}"#.utf8)) }
    }
}

@Suite struct KuCoinBookTests {
    private func deltas(_ prefixes: [String]) throws -> [(BookUpdate, UInt64)] {
        var decoder = KuCoin.MessageDecoder()
        return try prefixes.map { prefix in
            let event = try #require(try Fixture.decode(prefix, with: &decoder).first)
            return (try #require(event.payload.delta), try #require(event.sequence))
        }
    }

    private func snapshot() throws -> (BookUpdate, UInt64) {
        var decoder = KuCoin.MessageDecoder()
        let event = try #require(try Fixture.decode("13-", with: &decoder).first)
        return (try #require(event.payload.snapshot), try #require(event.sequence))
    }

    @Test func reachesTheExpectedBook() throws {
        var machine = KuCoin.BookStateMachine()
        let updates = try deltas(["14-", "15-", "16-", "17-", "18-", "19-"])
        #expect(machine.receiveDelta(updates[0].0, sequenceEnd: updates[0].1) == .fetchSnapshot)
        let (book, sequence) = try snapshot()
        #expect(sequence == 1_613_277_183_892)
        #expect(book.asks.contains { $0.price == dec("243.287") })
        #expect(machine.receiveSnapshot(book, sequence: sequence) == .applied)
        #expect(machine.sequence == 1_613_277_183_892)  // 14 was not above the snapshot: discarded
        for (delta, end) in updates.dropFirst() {
            #expect(machine.receiveDelta(delta, sequenceEnd: end) == .applied)
        }
        #expect(machine.sequence == 1_613_277_183_897)
        #expect(machine.book.bestBid == BookLevel(price: dec("242.649"), size: dec("5")))
        #expect(machine.book.bestAsk == BookLevel(price: dec("242.951"), size: dec("4.51280965")))
        #expect(machine.book.asks.size(at: dec("243.287")) == nil)
        #expect(machine.book.bids.size(at: dec("242.646")) == nil)
        #expect(machine.book.bids.size(at: dec("242.647")) == dec("0.68148185"))
    }

    @Test func skipsChangesTheSnapshotAlreadyHas() throws {
        var machine = KuCoin.BookStateMachine()
        let (book, sequence) = try snapshot()
        #expect(machine.receiveSnapshot(book, sequence: sequence) == .applied)
        // One message spanning 892...894: its change 892 is in the snapshot, 893 and 894 are new.
        let overlap = BookUpdate(bids: [BookLevel(price: dec("242.649"), size: dec("99"), sequence: 1_613_277_183_892),
                                        BookLevel(price: dec("242.7"), size: dec("1"), sequence: 1_613_277_183_894)],
                                 asks: [BookLevel(price: dec("243.287"), size: .zero, sequence: 1_613_277_183_893)],
                                 firstSequence: 1_613_277_183_892)
        #expect(machine.receiveDelta(overlap, sequenceEnd: 1_613_277_183_894) == .applied)
        #expect(machine.book.bids.size(at: dec("242.649")) == dec("5"))
        #expect(machine.book.bestBid == BookLevel(price: dec("242.7"), size: dec("1")))
        #expect(machine.book.asks.size(at: dec("243.287")) == nil)
        #expect(machine.sequence == 1_613_277_183_894)
    }

    @Test func aGapForcesAResync() throws {
        var machine = KuCoin.BookStateMachine()
        let (book, sequence) = try snapshot()
        #expect(machine.receiveSnapshot(book, sequence: sequence) == .applied)
        let updates = try deltas(["15-", "17-", "18-"])
        #expect(machine.receiveDelta(updates[0].0, sequenceEnd: updates[0].1) == .applied)
        #expect(machine.receiveDelta(updates[1].0, sequenceEnd: updates[1].1) ==
            .resync(.gap(expected: 1_613_277_183_894, received: 1_613_277_183_895)))
        #expect(!machine.isSynced)
        #expect(machine.receiveDelta(updates[2].0, sequenceEnd: updates[2].1) == BookSyncAction.none)
        // The old snapshot (892) stops before the buffer's first message (895) minus one.
        #expect(machine.receiveSnapshot(book, sequence: sequence) == .fetchSnapshot)
    }
}

@Suite struct KuCoinRequestTests {
    @Test func buildsTopicsAndMessages() throws {
        let symbols = ["EQZ-BTC", "ANKR-BTC", "SNX-BTC", "FET-BTC", "BCHSV-USDT", "NRG-BTC", "CAPP-BTC", "DAPPT-BTC", "COV-BTC", "LTX-USDT"]
            .map { KuCoin.Symbols().canonical(native: $0)! }
        let topics = KuCoin.Requests.topics(.level2, symbols)
        #expect(topics == ["/market/level2:EQZ-BTC,ANKR-BTC,SNX-BTC,FET-BTC,BCHSV-USDT,NRG-BTC,CAPP-BTC,DAPPT-BTC,COV-BTC,LTX-USDT"])
        #expect(try sameJSON(KuCoin.Requests.subscribe(topic: topics[0], id: "1"),
                             Array(String(decoding: try Fixture.named(.kucoin, "04-"), as: UTF8.self).replacingOccurrences(of: #""id":1"#, with: #""id":"1""#).utf8)))
        #expect(try sameJSON(KuCoin.Requests.ping(id: "1545910590801"), Fixture.named(.kucoin, "06-")))
        let many = (0..<250).map { CanonicalSymbol(base: "C\($0)", quote: "USDT") }
        #expect(KuCoin.Requests.topics(.match, many).count == 3)
        #expect(KuCoin.Requests.topics(.allTickers, []) == ["/market/ticker:all"])
        #expect(KuCoin.Requests.topics(.depth(levels: 5), [sym("BTC/USDT")]) == ["/spotMarket/level2Depth5:BTC-USDT"])
    }
}
