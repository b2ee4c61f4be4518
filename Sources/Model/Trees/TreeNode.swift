/// One node of a tree in a ``TreeEnsemble``'s flat node array.
///
/// A split sends a feature value `x` left when `x < threshold`, and a missing (NaN) value
/// left when `missingLeft`. A leaf has `feature == -1` and holds its value in `threshold`.
public struct TreeNode: Sendable, Equatable {
    /// The split threshold, or the leaf value.
    public var threshold: Double
    /// The feature index compared, or -1 for a leaf.
    public var feature: Int32
    /// Index of the left child in the ensemble's node array.
    public var left: Int32
    /// Index of the right child in the ensemble's node array.
    public var right: Int32
    /// Where a missing value goes.
    public var missingLeft: Bool

    /// A split node.
    public init(feature: Int32, threshold: Double, left: Int32, right: Int32, missingLeft: Bool) {
        self.threshold = threshold
        self.feature = feature
        self.left = left
        self.right = right
        self.missingLeft = missingLeft
    }

    /// A leaf.
    public init(leaf value: Double) {
        threshold = value
        feature = -1
        left = -1
        right = -1
        missingLeft = false
    }

    /// True for a leaf.
    public var isLeaf: Bool { feature < 0 }
}
