/// The prediction layout of a ``TreeEnsemble``: every tree re-laid breadth first into one
/// contiguous array of 16-byte nodes, walked several trees at a time without a branch per
/// level.
///
/// - A split's children sit side by side, so the next node is `next + (goes right ? 1 : 0)`.
/// - A leaf points at itself and has a NaN threshold (`x >= NaN` is false: it stays put), so
///   every tree can be walked a fixed number of steps (its depth) with no test for leaves, and
///   ``lanes`` trees are walked in lockstep: their independent loads overlap in the CPU.
/// - Missing values: a split reads feature slot `f` (the raw value; NaN fails `x >= t` and goes
///   left) when its missing values go left, and slot `featureCount + f` (NaN replaced by +∞,
///   which passes `x >= t` and goes right) when they go right. For any non-NaN value both slots
///   agree, and `x >= t` is `!(x < t)`, so the walk is exactly ``TreeNode``'s rule.
/// - Leaf values live in a parallel array, read once per tree.
///
/// Leaf values are added to their margins in tree order, so sums (and predictions) are
/// bit-identical to walking the trees one by one.
struct FlatForest: Sendable {
    /// A split (or a leaf pointing at itself), 16 bytes.
    struct Node: Sendable {
        /// Split threshold; NaN for a leaf.
        var threshold: Double
        /// Index into the two-slot feature scratch (see the type's notes).
        var slot: Int32
        /// The left child; the right one is `next + 1`. A leaf's own index.
        var next: Int32
    }

    /// Trees walked together.
    static let lanes = 8

    private(set) var nodes: [Node] = []
    /// The leaf value of each leaf node (0 for splits), parallel to `nodes`.
    private(set) var leafValues: [Double] = []
    /// Each tree's root in `nodes`.
    private(set) var roots: [Int32] = []
    /// Each tree's margin.
    let margins: [Int32]
    /// For each block of ``lanes`` trees, the deepest tree's depth; then one entry per tree of the
    /// trailing partial block.
    private(set) var steps: [Int32] = []
    let featureCount: Int

    /// Re-lays validated trees (children after their parent, inside the tree, in range).
    /// Throws when a node is reachable twice (the arrays describe a graph, not a tree).
    init(nodes source: [TreeNode], roots sourceRoots: [Int32], margins: [Int32], featureCount: Int,
         fail: (String) -> ModelError) throws(ModelError) {
        self.margins = margins
        self.featureCount = featureCount
        var depths = [Int32]()
        var seen = [Bool](repeating: false, count: source.count)
        for (t, root) in sourceRoots.enumerated() {
            // Breadth first: a node's children are appended together, so they are adjacent.
            let base = Int32(nodes.count)
            var queue = [(source: Int(root), depth: Int32(0))]
            var head = 0
            var depth: Int32 = 0
            while head < queue.count {
                let (s, d) = queue[head]
                let index = base + Int32(head)
                head += 1
                guard !seen[s] else { throw fail("tree \(t) node \(s - Int(root)) has two parents") }
                seen[s] = true
                depth = max(depth, d)
                let node = source[s]
                if node.isLeaf {
                    nodes.append(Node(threshold: .nan, slot: 0, next: index))
                    leafValues.append(node.threshold)
                } else {
                    let slot = node.feature + (node.missingLeft ? 0 : Int32(featureCount))
                    nodes.append(Node(threshold: node.threshold, slot: slot, next: base + Int32(queue.count)))
                    leafValues.append(0)
                    queue.append((Int(node.left), d + 1))
                    queue.append((Int(node.right), d + 1))
                }
            }
            roots.append(base)
            depths.append(depth)
        }
        let full = depths.count / Self.lanes * Self.lanes
        for block in stride(from: 0, to: full, by: Self.lanes) {
            steps.append(depths[block..<block + Self.lanes].max() ?? 0)
        }
        steps += depths[full...]
    }

    /// Adds every tree's leaf for `features` to `margins` (already holding the base margins).
    /// `scratch` holds `2 * featureCount` values. Allocates nothing.
    @inline(__always)
    func accumulate(_ features: UnsafePointer<Double>, scratch x: UnsafeMutablePointer<Double>, into out: UnsafeMutablePointer<Double>) {
        let nf = featureCount
        for i in 0..<nf {
            let v = features[i]
            x[i] = v
            x[nf &+ i] = v.isNaN ? .infinity : v
        }
        nodes.withUnsafeBufferPointer { nodeBuffer in
        leafValues.withUnsafeBufferPointer { leafBuffer in
        roots.withUnsafeBufferPointer { rootBuffer in
        margins.withUnsafeBufferPointer { marginBuffer in
        steps.withUnsafeBufferPointer { stepBuffer in
            guard let n = nodeBuffer.baseAddress, let leaf = leafBuffer.baseAddress, let root = rootBuffer.baseAddress,
                  let margin = marginBuffer.baseAddress, let step = stepBuffer.baseAddress else { return }
            // The comparison's flag is added as a number (an `sbb`), never branched on.
            @inline(__always) func walk(_ i: Int) -> Int {
                let node = n[i]
                return Int(node.next) &+ Int(unsafeBitCast(x[Int(node.slot)] >= node.threshold, to: UInt8.self))
            }
            let trees = rootBuffer.count
            let full = trees / Self.lanes * Self.lanes
            var t = 0
            var s = 0
            while t < full {
                var a = Int(root[t]), b = Int(root[t &+ 1]), c = Int(root[t &+ 2]), d = Int(root[t &+ 3])
                var e = Int(root[t &+ 4]), f = Int(root[t &+ 5]), g = Int(root[t &+ 6]), h = Int(root[t &+ 7])
                var k = Int(step[s])
                while k > 0 {
                    k &-= 1
                    a = walk(a)
                    b = walk(b)
                    c = walk(c)
                    d = walk(d)
                    e = walk(e)
                    f = walk(f)
                    g = walk(g)
                    h = walk(h)
                }
                out[Int(margin[t])] += leaf[a]
                out[Int(margin[t &+ 1])] += leaf[b]
                out[Int(margin[t &+ 2])] += leaf[c]
                out[Int(margin[t &+ 3])] += leaf[d]
                out[Int(margin[t &+ 4])] += leaf[e]
                out[Int(margin[t &+ 5])] += leaf[f]
                out[Int(margin[t &+ 6])] += leaf[g]
                out[Int(margin[t &+ 7])] += leaf[h]
                t &+= Self.lanes
                s &+= 1
            }
            while t < trees {
                var a = Int(root[t])
                var k = Int(step[s])
                while k > 0 {
                    k &-= 1
                    a = walk(a)
                }
                out[Int(margin[t])] += leaf[a]
                t &+= 1
                s &+= 1
            }
        }
        }
        }
        }
        }
    }
}
