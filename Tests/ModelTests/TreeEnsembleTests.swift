import Foundation
import Testing
@testable import Model

@Suite struct TreeEnsembleTests {
    /// Two stumps on a 5-class softmax: feature 0 < 1 adds 1 to class 0, else to class 4;
    /// feature 1 missing goes left (adds 2 to class 2), else 0.5 to class 3.
    func stumps() throws -> TreeEnsemble {
        let nodes = [
            TreeNode(feature: 0, threshold: 1, left: 1, right: 2, missingLeft: false), TreeNode(leaf: 1), TreeNode(leaf: -1),
            TreeNode(feature: 1, threshold: 0, left: 4, right: 5, missingLeft: true), TreeNode(leaf: 2), TreeNode(leaf: 0.5),
        ]
        return try TreeEnsemble(objective: .softmax, classCount: 5, featureCount: 2, nodes: nodes, roots: [0, 3], treeMargins: [0, 2],
                                baseMargins: [0, 0, 0, 0, 0], source: "test")
    }

    func softmax(_ m: [Double]) -> [Double] {
        let e = m.map { exp($0) }
        let s = e.reduce(0, +)
        return e.map { $0 / s }
    }

    func close(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-15 }
    }

    @Test func predictsByWalkingTheFlatTrees() throws {
        let model = try stumps()
        #expect(close(model.predict([0.5, -1]), softmax([1, 0, 2, 0, 0])))
        #expect(close(model.predict([1, 3]), softmax([-1, 0, 0.5, 0, 0])))
        #expect(close(model.predict([.nan, .nan]), softmax([-1, 0, 2, 0, 0])), "missing: right in tree 0, left in tree 1")
        let p = model.predict([0.5, .nan])
        #expect(abs(p.reduce(0, +) - 1) < 1e-15)
    }

    @Test func logisticGivesBothClassProbabilities() throws {
        let model = try TreeEnsemble(objective: .logistic, classCount: 2, featureCount: 1,
                                     nodes: [TreeNode(feature: 0, threshold: 0, left: 1, right: 2, missingLeft: true), TreeNode(leaf: -2), TreeNode(leaf: 2)],
                                     roots: [0], treeMargins: [0], baseMargins: [0.5], source: "test")
        let p = model.predict([1])
        #expect(p[1] == 1 / (1 + exp(-2.5)))
        #expect(p[0] == 1 - p[1])
    }

    @Test func refusesTreesThatCouldLoopOrReadOutOfRange() {
        func build(_ nodes: [TreeNode], roots: [Int32] = [0]) throws(ModelError) {
            _ = try TreeEnsemble(objective: .softmax, classCount: 5, featureCount: 2, nodes: nodes, roots: roots,
                                 treeMargins: roots.map { _ in 0 }, baseMargins: [0, 0, 0, 0, 0], source: "m.json")
        }
        let cycle = [TreeNode(feature: 0, threshold: 1, left: 0, right: 1, missingLeft: false), TreeNode(leaf: 1)]
        #expect(throws: ModelError(source: "m.json", reason: "tree 0 node 0: children must follow it inside the same tree")) { try build(cycle) }
        let wideFeature = [TreeNode(feature: 7, threshold: 1, left: 1, right: 2, missingLeft: false), TreeNode(leaf: 1), TreeNode(leaf: 1)]
        #expect(throws: ModelError(source: "m.json", reason: "tree 0 node 0 splits on feature 7; the model has 2 features")) { try build(wideFeature) }
        let crossing = [TreeNode(feature: 0, threshold: 1, left: 1, right: 2, missingLeft: false), TreeNode(leaf: 1), TreeNode(leaf: 1)]
        #expect(throws: ModelError.self) { try build(crossing, roots: [0, 2]) }
        #expect(throws: ModelError.self) { try build([TreeNode(leaf: .infinity)]) }
    }

    /// XGBoost compares `Float(x) < t`; the loader's double threshold must agree for every
    /// double, including those that round to `t` and the ties halfway between floats.
    @Test func doubleThresholdsAgreeWithFloatComparison() {
        var state: UInt64 = 3
        for _ in 0..<2000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let t = Float(bitPattern: UInt32(truncatingIfNeeded: state >> 33))
            guard t.isFinite else { continue }
            let d = XGBoostModelLoader.doubleThreshold(t)
            let below = Double(t.nextDown)
            let mid = (below + Double(t)) / 2
            for x in [Double(t), Double(t).nextDown, Double(t).nextUp, mid, mid.nextDown, mid.nextUp, below, Double(t.nextUp)] {
                #expect((Float(x) < t) == (x < d), "t \(t) x \(x)")
            }
        }
    }

    @Test func baseScoreFormsOfXGBoostVersions() throws {
        let fail = { (r: String) in ModelError(source: "x", reason: r) }
        #expect(try XGBoostModelLoader.baseMargins("5E-1", objective: .softmax, classCount: 5, fail: fail) == [0.5, 0.5, 0.5, 0.5, 0.5])
        #expect(try XGBoostModelLoader.baseMargins("[1E-1,2E-1,3E-1,4E-1,5E-1]", objective: .softmax, classCount: 5, fail: fail)
                == [Float(0.1), 0.2, 0.3, 0.4, 0.5].map(Double.init))
        #expect(try XGBoostModelLoader.baseMargins("[5E-1]", objective: .logistic, classCount: 2, fail: fail) == [0])
        #expect(throws: ModelError.self) { try XGBoostModelLoader.baseMargins("[1.5]", objective: .logistic, classCount: 2, fail: fail) }
    }
}

/// The lockstep walk of the prediction layout against a plain walk of ``TreeNode``s, tree by
/// tree, on trees of uneven depth, a tree count that is not a multiple of the lane count, and
/// vectors with missing and infinite values: the sums must be bit-identical.
@Suite struct FlatForestTests {
    /// A deterministic generator (no global randomness in tests).
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 11
        }
        mutating func unit() -> Double { Double(next() % 1_000_000) / 1_000_000 }
    }

    /// A random tree (depth up to `depth`, some branches stopping early) appended to `nodes`.
    static func tree(_ g: inout Generator, depth: Int, features: Int, into nodes: inout [TreeNode]) {
        let index = nodes.count
        guard depth > 0, g.next() % 5 != 0 else {
            nodes.append(TreeNode(leaf: g.unit() - 0.5))
            return
        }
        nodes.append(TreeNode(leaf: 0))
        tree(&g, depth: depth - 1, features: features, into: &nodes)
        let right = nodes.count
        tree(&g, depth: depth - 1, features: features, into: &nodes)
        nodes[index] = TreeNode(feature: Int32(g.next() % UInt64(features)), threshold: g.unit(), left: Int32(index + 1),
                                right: Int32(right), missingLeft: g.next() % 2 == 0)
    }

    static func reference(_ m: TreeEnsemble, _ x: [Double]) -> [Double] {
        var margins = m.baseMargins
        for t in 0..<m.treeCount {
            var node = m.nodes[Int(m.roots[t])]
            while !node.isLeaf {
                let v = x[Int(node.feature)]
                node = m.nodes[Int(v < node.threshold || (v.isNaN && node.missingLeft) ? node.left : node.right)]
            }
            margins[Int(m.treeMargins[t])] += node.threshold
        }
        let top = margins.max() ?? 0
        let e = margins.map { exp($0 - top) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }

    @Test(arguments: [1, 7, 8, 19, 115])
    func lockstepWalkEqualsTheTreeByTreeWalk(trees: Int) throws {
        var g = Generator(state: UInt64(trees))
        var nodes = [TreeNode](), roots = [Int32]()
        for _ in 0..<trees {
            roots.append(Int32(nodes.count))
            Self.tree(&g, depth: Int(g.next() % 7), features: 6, into: &nodes)
        }
        let model = try TreeEnsemble(objective: .softmax, classCount: 5, featureCount: 6, nodes: nodes, roots: roots,
                                     treeMargins: roots.indices.map { Int32($0 % 5) }, baseMargins: [0.1, 0, -0.1, 0.2, 0], source: "test")
        for _ in 0..<300 {
            let x = (0..<6).map { _ -> Double in
                switch g.next() % 10 {
                case 0: .nan
                case 1: g.next() % 2 == 0 ? .infinity : -.infinity
                default: g.unit()
                }
            }
            #expect(model.predict(x) == Self.reference(model, x), "x \(x)")
        }
    }

    @Test func refusesANodeWithTwoParents() {
        let shared = [TreeNode(feature: 0, threshold: 1, left: 1, right: 1, missingLeft: false), TreeNode(leaf: 1)]
        #expect(throws: ModelError(source: "m.json", reason: "tree 0 node 1 has two parents")) {
            try TreeEnsemble(objective: .softmax, classCount: 5, featureCount: 1, nodes: shared, roots: [0], treeMargins: [0],
                             baseMargins: [0, 0, 0, 0, 0], source: "m.json")
        }
    }
}
