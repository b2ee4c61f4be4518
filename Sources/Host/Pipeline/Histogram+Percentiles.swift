import Histogram

extension Histogram where Count == UInt64 {
    /// The values at several percentiles (0...100), equal to ``Histogram/valueAtPercentile(_:)``
    /// for each, in one pass over the recorded buckets.
    ///
    /// `valueAtPercentile` is not inlinable, so from this module it runs unspecialized, with a
    /// generic integer conversion per bucket: a few hundred microseconds per call on the
    /// pipeline's 27,000-bucket histograms. The daemon reads its quantiles once a second, and a
    /// background chunk of milliseconds delays the event loop on a machine with two cores.
    /// This walks the inlinable ``Histogram/recordedValues()`` once, specialized.
    func values(atPercentiles percentiles: [Double]) -> [UInt64] {
        guard totalCount > 0 else { return percentiles.map { _ in 0 } }
        let lowest = min, highest = maxRecorded
        var values = percentiles.map { $0 == 0 ? lowest : highest }
        // Each percentile strictly between 0 and 100 with the count it needs, as
        // valueAtPercentile works it out, fewest first.
        var open = percentiles.indices.compactMap { index -> (index: Int, count: UInt64)? in
            let percentile = percentiles[index]
            guard percentile != 0, percentile < 100 else { return nil }
            let requested = Swift.min(Swift.max(percentile.nextDown, 0), 100)
            return (index, Swift.max(1, UInt64((requested * Double(totalCount) / 100).rounded(.up))))
        }.sorted { $0.count < $1.count }[...]
        for bucket in recordedValues() {
            while let next = open.first, bucket.totalCountToThisValue >= next.count {
                values[next.index] = Swift.max(Swift.min(bucket.value, highest), lowest)
                open.removeFirst()
            }
            if open.isEmpty { break }
        }
        return values
    }
}
