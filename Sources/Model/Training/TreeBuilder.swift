/// Grows one regression tree on gradients and hessians by histogram splits, depth-wise,
/// XGBoost's exact gain formula with L2 regularisation; deterministic.
struct TreeBuilder {
    /// A node while training: split after `bin` of `feature`, or a leaf with `value`.
    struct Node {
        var feature = -1
        var bin = 0
        var missingLeft = false
        var left = -1
        var right = -1
        var value = 0.0
    }

    let bins: FeatureBins
    let width: Int
    let options: TrainingOptions

    /// Builds a tree over `rows` (indices into the binned matrix). `rows` is reordered.
    func build(binned: UnsafeBufferPointer<UInt8>, gradients: UnsafeBufferPointer<Double>, hessians: UnsafeBufferPointer<Double>,
               rows: inout [Int32]) -> [Node] {
        var nodes = [Node()]
        var scratch = [Int32](repeating: 0, count: rows.count)
        let slots = width * bins.stride
        var gradientHistogram = [Double](repeating: 0, count: slots)
        var hessianHistogram = [Double](repeating: 0, count: slots)
        // Work list in breadth-first order: node, its row range, its depth.
        var queue: [(node: Int, start: Int, end: Int, depth: Int)] = [(0, 0, rows.count, 0)]
        var next = 0
        let lambda = options.lambda
        while next < queue.count {
            let (node, start, end, depth) = queue[next]
            next += 1
            var g = 0.0
            var h = 0.0
            for i in start..<end {
                let r = Int(rows[i])
                g += gradients[r]
                h += hessians[r]
            }
            nodes[node].value = -g / (h + lambda) * options.learningRate
            guard depth < options.depth, end - start >= 2 else { continue }

            // Histograms of this node's rows.
            gradientHistogram.withUnsafeMutableBufferPointer { gh in
                hessianHistogram.withUnsafeMutableBufferPointer { hh in
                    for s in 0..<slots { gh[s] = 0; hh[s] = 0 }
                    rows.withUnsafeBufferPointer { rows in
                        for i in start..<end {
                            let r = Int(rows[i])
                            let gr = gradients[r]
                            let hr = hessians[r]
                            let base = r * width
                            for f in 0..<width {
                                let slot = f * bins.stride + Int(binned[base + f])
                                gh[slot] += gr
                                hh[slot] += hr
                            }
                        }
                    }
                }
            }

            // The best split: highest gain, first on ties.
            let parentScore = g * g / (h + lambda)
            var bestGain = 1e-12
            var best: (feature: Int, bin: Int, missingLeft: Bool)?
            for f in 0..<width {
                let base = f * bins.stride
                let missingG = gradientHistogram[base]
                let missingH = hessianHistogram[base]
                var leftG = 0.0
                var leftH = 0.0
                let edgeCount = bins.edges[f].count
                guard edgeCount > 0 else { continue }
                for b in 1...edgeCount {
                    leftG += gradientHistogram[base + b]
                    leftH += hessianHistogram[base + b]
                    // Missing values left or right; the same split twice when there are none.
                    for side in 0..<(missingH > 0 ? 2 : 1) {
                        let missingLeft = side == 1
                        let lg = missingLeft ? leftG + missingG : leftG
                        let lh = missingLeft ? leftH + missingH : leftH
                        let rg = g - lg
                        let rh = h - lh
                        guard lh >= options.minChildWeight, rh >= options.minChildWeight, lh > 0, rh > 0 else { continue }
                        let gain = lg * lg / (lh + lambda) + rg * rg / (rh + lambda) - parentScore
                        if gain > bestGain {
                            bestGain = gain
                            // With no missing value here, send a future one to the heavier side.
                            let side = missingH > 0 ? missingLeft : lh >= rh
                            best = (f, b, side)
                        }
                    }
                }
            }
            guard let best else { continue }

            // Partition the rows, keeping their order on each side.
            var leftCount = 0
            var rightCount = 0
            for i in start..<end {
                let r = rows[i]
                let bin = Int(binned[Int(r) * width + best.feature])
                if bin == 0 ? best.missingLeft : bin <= best.bin {
                    rows[start + leftCount] = r
                    leftCount += 1
                } else {
                    scratch[rightCount] = r
                    rightCount += 1
                }
            }
            for i in 0..<rightCount { rows[start + leftCount + i] = scratch[i] }
            let left = nodes.count
            nodes.append(Node())
            nodes.append(Node())
            nodes[node].feature = best.feature
            nodes[node].bin = best.bin
            nodes[node].missingLeft = best.missingLeft
            nodes[node].left = left
            nodes[node].right = left + 1
            queue.append((left, start, start + leftCount, depth + 1))
            queue.append((left + 1, start + leftCount, end, depth + 1))
        }
        return nodes
    }

    /// The leaf value a binned row reaches.
    @inline(__always) static func leafValue(_ nodes: [Node], binned: UnsafeBufferPointer<UInt8>, row: Int, width: Int) -> Double {
        var i = 0
        while nodes[i].feature >= 0 {
            let node = nodes[i]
            let bin = Int(binned[row * width + node.feature])
            i = (bin == 0 ? node.missingLeft : bin <= node.bin) ? node.left : node.right
        }
        return nodes[i].value
    }

    /// The tree in model-file form, thresholds taken from the bin edges.
    func fileTree(_ nodes: [Node], margin: Int) -> ModelFile.Tree {
        var tree = ModelFile.Tree(margin: margin, feature: [], threshold: [], left: [], right: [], missingLeft: [])
        for node in nodes {
            let isLeaf = node.feature < 0
            tree.feature.append(isLeaf ? -1 : node.feature)
            tree.threshold.append(isLeaf ? node.value : bins.edges[node.feature][node.bin - 1])
            tree.left.append(isLeaf ? -1 : node.left)
            tree.right.append(isLeaf ? -1 : node.right)
            tree.missingLeft.append(node.missingLeft && !isLeaf ? 1 : 0)
        }
        return tree
    }
}
