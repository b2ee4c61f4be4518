/// The cut points that turn a forward return into one of five classes, learned as the 20th,
/// 40th, 60th and 80th percentiles of the training returns.
public struct ClassQuantiles: Sendable, Equatable {
    /// Four non-decreasing cut points.
    public let cuts: [Double]

    public init(cuts: [Double]) {
        self.cuts = cuts
    }

    /// Learns the cut points from training returns (linear interpolation between order statistics).
    public init(learningFrom returns: [Double]) {
        let sorted = returns.sorted()
        cuts = (1...4).map { k in
            guard !sorted.isEmpty else { return 0 }
            let position = Double(k) / 5 * Double(sorted.count - 1)
            let low = Int(position.rounded(.down))
            let high = min(low + 1, sorted.count - 1)
            let fraction = position - Double(low)
            return sorted[low] + (sorted[high] - sorted[low]) * fraction
        }
    }

    /// The class of a return: 0 below the first cut, 4 at or above the last.
    @inline(__always) public func classify(_ value: Double) -> Int {
        var k = 0
        for cut in cuts where value >= cut { k += 1 }
        return k
    }
}
