import Testing
@testable import Exchanges

@Suite struct OrderBookTests {
    @Test func keepsLevelsSortedBestFirst() {
        var book = OrderBook()
        for (price, size) in [("100.5", "1"), ("101", "2"), ("99.75", "3"), ("100.50", "4")] {
            book.set(.bid, price: dec(price), size: dec(size))
        }
        for (price, size) in [("102", "1"), ("101.5", "2"), ("103.25", "3")] {
            book.set(.ask, price: dec(price), size: dec(size))
        }
        #expect(book.bids.map(\.price) == [dec("101"), dec("100.5"), dec("99.75")])
        #expect(book.bids.size(at: dec("100.5000")) == dec("4"))
        #expect(book.asks.map(\.price) == [dec("101.5"), dec("102"), dec("103.25")])
        #expect(book.bestBid == BookLevel(price: dec("101"), size: dec("2")))
        #expect(book.bestAsk == BookLevel(price: dec("101.5"), size: dec("2")))
        #expect(!book.isCrossed)

        book.set(.bid, price: dec("101.0"), size: .zero)
        book.set(.ask, price: dec("999"), size: .zero)  // absent: nothing happens
        #expect(book.bids.count == 2)
        #expect(book.asks.count == 3)

        book.set(.bid, price: dec("101.5"), size: dec("1"))
        #expect(book.isCrossed)
    }

    @Test func replacesWithSnapshotKeepingTheLastDuplicate() {
        var book = OrderBook()
        book.set(.bid, price: dec("1"), size: dec("1"))
        book.replace(with: BookUpdate(
            bids: [BookLevel(price: dec("5"), size: dec("1")), BookLevel(price: dec("7"), size: dec("2")),
                   BookLevel(price: dec("5.0"), size: dec("3")), BookLevel(price: dec("6"), size: .zero)],
            asks: [BookLevel(price: dec("9"), size: dec("1")), BookLevel(price: dec("8"), size: dec("1"))]))
        #expect(book.bids.map(\.price) == [dec("7"), dec("5")])
        #expect(book.bids.size(at: dec("5")) == dec("3"))
        #expect(book.asks.map(\.price) == [dec("8"), dec("9")])
        book.truncate(toDepth: 1)
        #expect(book.bids.map(\.price) == [dec("7")])
        #expect(book.asks.map(\.price) == [dec("8")])
    }

    /// Random changes against a plain dictionary model.
    @Test func agreesWithAReferenceModel() {
        var generator = SplitMix64(seed: 42)
        var book = OrderBook()
        var model: [BookSide: [ExactDecimal: ExactDecimal]] = [.bid: [:], .ask: [:]]
        for step in 0..<20_000 {
            let side: BookSide = generator.next() % 2 == 0 ? .bid : .ask
            let price = ExactDecimal(mantissa: Int64(generator.next() % 400) + 1000, exponent: -Int16(generator.next() % 3))
            let size = generator.next() % 4 == 0 ? ExactDecimal.zero : ExactDecimal(mantissa: Int64(generator.next() % 1000) + 1, exponent: -2)
            book.set(side, price: price, size: size)
            model[side]![price] = size.isZero ? nil : size
            if step % 997 == 0 {
                let bids = model[.bid]!.sorted { $0.key > $1.key }.map { BookLevel(price: $0.key, size: $0.value) }
                let asks = model[.ask]!.sorted { $0.key < $1.key }.map { BookLevel(price: $0.key, size: $0.value) }
                #expect(Array(book.bids) == bids)
                #expect(Array(book.asks) == asks)
            }
        }
    }
}

/// A small deterministic generator for randomized tests.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct BookLadderScaleTests {
    @Test func rescalesWhenAFinerPriceArrives() {
        var ladder = BookLadder(side: .ask)
        ladder.set(dec("1920"), dec("1"))
        ladder.set(dec("1919.5"), dec("2"))
        ladder.set(dec("1919.44"), dec("3"))
        #expect(ladder.map(\.price) == [dec("1919.44"), dec("1919.5"), dec("1920")])
        #expect(ladder.size(at: dec("1919.50")) == dec("2"))
        #expect(ladder.size(at: dec("1919.441")) == nil)
        ladder.set(dec("1919.441"), .zero)  // finer than any level: nothing to remove
        #expect(ladder.count == 3)
    }

    @Test func refusesPricesTooFarApart() {
        var book = OrderBook()
        let fine = book.set(.bid, price: dec("0.00000001"), size: dec("1"))
        let huge = book.set(.bid, price: ExactDecimal(mantissa: 1, exponent: 20), size: dec("1"))
        #expect(fine && !huge)
        #expect(book.bids.count == 1)
        let replaced = book.replace(with: BookUpdate(bids: [BookLevel(price: dec("1e-30"), size: dec("1")),
                                                            BookLevel(price: dec("1e10"), size: dec("1"))]))
        #expect(!replaced)
        #expect(book.bids.isEmpty)
        var machine = Coinbase.BookStateMachine()
        #expect(machine.receiveSnapshot(BookUpdate(asks: [BookLevel(price: dec("1"), size: dec("1"))])) == .applied)
        #expect(machine.receiveUpdate(BookUpdate(asks: [BookLevel(price: dec("1e-20"), size: dec("1"))])) ==
            .resync(.unrepresentablePrice))
        #expect(BookSyncProblem.unrepresentablePrice.incident == .priceSpikeRejected)
    }

    @Test func comparesLaddersByContent() {
        var a = BookLadder(side: .bid)
        a.set(dec("1.5"), dec("1"))
        var b = BookLadder(side: .bid)
        b.set(dec("1.25"), dec("1"))  // a finer scale
        b.set(dec("1.5"), dec("1"))
        b.set(dec("1.25"), .zero)
        #expect(a == b)
    }
}
