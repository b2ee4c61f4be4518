import Foundation

/// A gradient-boosted tree ensemble in a flat layout: every node of every tree in one
/// contiguous array of ``TreeNode`` values, trees addressed by their root index.
///
/// The validating initializer also compiles the trees into a prediction layout (16-byte
/// nodes, children side by side, several trees walked in lockstep without a branch per level;
/// see `FlatForest`), so a prediction allocates nothing and can never index out of range or loop.
public struct TreeEnsemble: Sendable, Equatable {
    public let objective: Objective
    /// Number of classes (and of probabilities a prediction writes): 5 for the rating models,
    /// 2 for a logistic model (`[P(class 0), P(class 1)]`).
    public let classCount: Int
    /// Length of the feature vector a prediction reads.
    public let featureCount: Int
    /// All nodes, tree after tree.
    public let nodes: [TreeNode]
    /// Index of each tree's root in `nodes`.
    public let roots: [Int32]
    /// The margin each tree adds to (its class; 0 for a logistic model).
    public let treeMargins: [Int32]
    /// The starting margins, one per class (softmax) or one (logistic).
    public let baseMargins: [Double]
    /// The trees as prediction walks them.
    let forest: FlatForest

    /// Builds and checks an ensemble; `source` names it in errors.
    ///
    /// Checks that every tree's nodes are contiguous, children come after their parent inside
    /// the same tree, features are in range, values are finite and the margins add up.
    public init(objective: Objective, classCount: Int, featureCount: Int, nodes: [TreeNode], roots: [Int32],
                treeMargins: [Int32], baseMargins: [Double], source: String) throws(ModelError) {
        func fail(_ reason: String) -> ModelError { ModelError(source: source, reason: reason) }
        guard classCount >= 2 else { throw fail("\(classCount) classes; a model needs at least 2") }
        guard objective == .softmax || classCount == 2 else { throw fail("a logistic model has 2 classes, not \(classCount)") }
        let margins = objective.marginCount(classes: classCount)
        guard baseMargins.count == margins else {
            throw fail("\(baseMargins.count) base margins for \(margins) outputs")
        }
        guard baseMargins.allSatisfy(\.isFinite) else { throw fail("a base margin is not a finite number") }
        guard roots.count == treeMargins.count else { throw fail("\(roots.count) trees but \(treeMargins.count) tree classes") }
        guard roots.first ?? 0 == 0, roots.isEmpty || nodes.count > 0 else { throw fail("the first tree must start at node 0") }
        for t in roots.indices {
            let start = Int(roots[t])
            let end = t + 1 < roots.count ? Int(roots[t + 1]) : nodes.count
            guard start < end else {
                throw fail("tree \(t) has no nodes or overlaps the previous tree")
            }
            guard (0..<margins).contains(Int(treeMargins[t])) else {
                throw fail("tree \(t) adds to output \(treeMargins[t]); the model has \(margins)")
            }
            for i in start..<end {
                let node = nodes[i]
                if node.isLeaf {
                    guard node.threshold.isFinite else { throw fail("tree \(t) node \(i - start): leaf value is not finite") }
                    continue
                }
                guard Int(node.feature) < featureCount else {
                    throw fail("tree \(t) node \(i - start) splits on feature \(node.feature); the model has \(featureCount) features")
                }
                guard !node.threshold.isNaN else { throw fail("tree \(t) node \(i - start): split threshold is NaN") }
                guard Int(node.left) > i, Int(node.left) < end, Int(node.right) > i, Int(node.right) < end else {
                    throw fail("tree \(t) node \(i - start): children must follow it inside the same tree")
                }
            }
        }
        forest = try FlatForest(nodes: nodes, roots: roots, margins: treeMargins, featureCount: featureCount, fail: fail)
        self.objective = objective
        self.classCount = classCount
        self.featureCount = featureCount
        self.nodes = nodes
        self.roots = roots
        self.treeMargins = treeMargins
        self.baseMargins = baseMargins
    }

    /// Number of trees.
    public var treeCount: Int { roots.count }

    /// Equal trees, shape and margins (the prediction layout is derived from them).
    public static func == (a: TreeEnsemble, b: TreeEnsemble) -> Bool {
        a.objective == b.objective && a.classCount == b.classCount && a.featureCount == b.featureCount && a.nodes == b.nodes
            && a.roots == b.roots && a.treeMargins == b.treeMargins && a.baseMargins == b.baseMargins
    }

    /// Writes the class probabilities for `features` into `probabilities` (`classCount`
    /// entries). Allocates nothing. `features` must hold `featureCount` values; NaN is missing.
    public func predict(_ features: UnsafeBufferPointer<Double>, into probabilities: UnsafeMutableBufferPointer<Double>) {
        precondition(features.count >= featureCount && probabilities.count >= classCount, "feature or probability buffer too short")
        guard let out = probabilities.baseAddress else { return }
        for m in 0..<baseMargins.count { out[m] = baseMargins[m] }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: max(1, 2 * featureCount)) { scratch in
            guard let scratch = scratch.baseAddress else { return }
            forest.accumulate(features.baseAddress ?? UnsafePointer(scratch), scratch: scratch, into: out)
        }
        Self.transform(objective, probabilities, classCount: classCount)
    }

    /// The class probabilities for `features` (allocates the result).
    public func predict(_ features: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: classCount)
        features.withUnsafeBufferPointer { f in
            out.withUnsafeMutableBufferPointer { predict(f, into: $0) }
        }
        return out
    }

    /// Turns margins (in the first entries of `values`) into probabilities in place.
    static func transform(_ objective: Objective, _ values: UnsafeMutableBufferPointer<Double>, classCount: Int) {
        switch objective {
        case .softmax:
            var top = values[0]
            for k in 1..<classCount { top = max(top, values[k]) }
            var sum = 0.0
            for k in 0..<classCount {
                let e = exp(values[k] - top)
                values[k] = e
                sum += e
            }
            for k in 0..<classCount { values[k] /= sum }
        case .logistic:
            let p = 1 / (1 + exp(-values[0]))
            values[0] = 1 - p
            values[1] = p
        }
    }
}
