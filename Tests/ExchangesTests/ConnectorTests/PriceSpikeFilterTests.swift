import Exchanges
import Testing

struct PriceSpikeFilterTests {
    /// Feeds `prices` in order and returns which were accepted.
    private func feed(_ filter: inout PriceSpikeFilter, _ prices: [Double]) -> [Bool] {
        prices.map { filter.accept($0) }
    }

    @Test func pricesWithinTheBandPassAndMoveTheReference() {
        var filter = PriceSpikeFilter(configuration: .init(maximumDeviation: 0.1, confirmations: 3))
        #expect(feed(&filter, [100, 109, 118]) == [true, true, true])  // 118 is within 10 % of 109
        #expect(filter.reference == 118)
    }

    @Test func aLoneSpikeIsRejectedAndTheReferenceKept() {
        var filter = PriceSpikeFilter(configuration: .init(maximumDeviation: 0.1, confirmations: 3))
        #expect(feed(&filter, [100, 1000, 101, 0, .nan]) == [true, false, true, false, false])
        #expect(filter.reference == 101)
    }

    @Test func aSustainedMoveIsAcceptedAfterConfirmations() {
        var filter = PriceSpikeFilter(configuration: .init(maximumDeviation: 0.1, confirmations: 3))
        #expect(feed(&filter, [100, 150, 151, 152, 155]) == [true, false, false, true, true])
        #expect(filter.reference == 155)
    }

    @Test func disagreeingOutliersDoNotConfirmEachOther() {
        var filter = PriceSpikeFilter(configuration: .init(maximumDeviation: 0.1, confirmations: 2))
        #expect(feed(&filter, [100, 150, 50, 200]) == [true, false, false, false])
        #expect(filter.reference == 100)
    }
}
