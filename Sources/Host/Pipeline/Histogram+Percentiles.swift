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
        // The count each percentile needs, as valueAtPercentile works it out.
        let wanted = percentiles.map { percentile -> UInt64? in
            guard percentile != 0, percentile < 100 else { return nil }
            let requested = Swift.min(Swift.max(percentile.nextDown, 0), 100)
            return Swift.max(1, UInt64((requested * Double(totalCount) / 100).rounded(.up)))
        }
        var values = percentiles.map { $0 == 0 ? lowest : highest }
        var open = wanted.indices.filter { wanted[$0] != nil }.sorted { wanted[$0]! < wanted[$1]! }[...]
        for bucket in recordedValues() {
            while let next = open.first, bucket.totalCountToThisValue >= wanted[next]! {
                values[next] = Swift.max(Swift.min(bucket.value, highest), lowest)
                open.removeFirst()
            }
            if open.isEmpty { break }
        }
        return values
    }
}
