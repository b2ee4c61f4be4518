/// Histogram bins per feature, learned on training rows: bin 0 holds missing (NaN) values,
/// bin `k ≥ 1` the values with exactly `k − 1` edges at or below them. A split after bin `b`
/// sends `x < edges[b − 1]` left, which is the predictor's `x < threshold` test.
struct FeatureBins: Sendable {
    /// Ascending, distinct edges per feature.
    let edges: [[Double]]
    /// Histogram slots per feature: the most bins any feature has.
    let stride: Int

    init(features: [Double], width: Int, bins: Int) {
        let rows = width == 0 ? 0 : features.count / width
        var edges = [[Double]]()
        for f in 0..<width {
            var column = [Double]()
            column.reserveCapacity(rows)
            for r in 0..<rows {
                let x = features[r * width + f]
                if !x.isNaN { column.append(x) }
            }
            column.sort()
            var featureEdges = [Double]()
            if !column.isEmpty {
                for j in 1..<bins {
                    let x = column[j * column.count / bins]
                    if x > column[0], x > (featureEdges.last ?? -.infinity) { featureEdges.append(x) }
                }
            }
            edges.append(featureEdges)
        }
        self.edges = edges
        stride = (edges.map(\.count).max() ?? 0) + 2
    }

    /// The bin of value `x` of feature `f`.
    @inline(__always) func bin(_ x: Double, feature f: Int) -> UInt8 {
        if x.isNaN { return 0 }
        let e = edges[f]
        var low = 0
        var high = e.count
        while low < high {
            let mid = (low + high) / 2
            if e[mid] <= x { low = mid + 1 } else { high = mid }
        }
        return UInt8(low + 1)
    }

    /// Row-major bins of row-major features.
    func binned(_ features: [Double], width: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: features.count)
        for i in features.indices { out[i] = bin(features[i], feature: i % width) }
        return out
    }
}
