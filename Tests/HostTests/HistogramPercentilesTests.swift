import Histogram
import Testing
@testable import Host

/// The one-pass quantiles the daemon's metrics and status read agree with the histogram's own
/// `valueAtPercentile`.
@Suite struct HistogramPercentilesTests {
    static let percentiles = [99.9, 0, 50, 90, 99, 100, 25, 99.99]

    static func latencies() -> Histogram<UInt64> {
        var histogram = PipelineStatistics().eventLatency
        var generator = SystemRandomNumberGenerator()
        // Microsecond-scale latencies with a long tail, as the pipeline records them.
        for _ in 0..<20_000 { _ = histogram.record(UInt64.random(in: 5_000...60_000, using: &generator)) }
        for _ in 0..<300 { _ = histogram.record(UInt64.random(in: 100_000...80_000_000, using: &generator)) }
        _ = histogram.record(3)
        return histogram
    }

    @Test func manyPercentilesInOnePassEqualValueAtPercentile() {
        for _ in 0..<5 {
            let histogram = Self.latencies()
            let values = histogram.values(atPercentiles: Self.percentiles)
            #expect(values == Self.percentiles.map { histogram.valueAtPercentile($0) })
        }
    }

    @Test func oneRecordedValueAndAnEmptyHistogram() {
        var histogram = PipelineStatistics().signalLatency
        #expect(histogram.values(atPercentiles: [50, 99]) == [0, 0])
        _ = histogram.record(1_234_567)
        let values = histogram.values(atPercentiles: Self.percentiles)
        #expect(values == Self.percentiles.map { histogram.valueAtPercentile($0) })
    }
}
