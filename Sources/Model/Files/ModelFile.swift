import Foundation

/// Chloe's own model file (JSON), as `chloe train` writes it: format and model version, the
/// features by name, the label definition (horizon and class quantiles), the trees, the
/// metrics and where the model came from. See `docs/model.md` for the layout.
public struct ModelFile: Sendable, Codable, Equatable {
    /// The value of `format`.
    public static let formatName = "chloe-model"
    /// The `format_version` this build reads and writes.
    public static let formatVersion = 1

    /// One tree; node `i`'s children are indices into the same tree's arrays.
    public struct Tree: Sendable, Codable, Equatable {
        /// The class whose margin this tree adds to.
        public var margin: Int
        /// Index into `feature_names`, or -1 for a leaf.
        public var feature: [Int]
        /// Split threshold (`x < threshold` goes left), or the leaf value.
        public var threshold: [Double]
        public var left: [Int]
        public var right: [Int]
        /// 1 when a missing value goes left.
        public var missingLeft: [Int]

        enum CodingKeys: String, CodingKey {
            case margin, feature, threshold, left, right
            case missingLeft = "missing_left"
        }
    }

    public var format = ModelFile.formatName
    public var formatVersion = ModelFile.formatVersion
    public var id: String
    public var objective: Objective
    public var classes: Int
    public var featureNames: [String]
    public var horizon: Int
    public var classQuantiles: [Double]
    public var baseMargins: [Double]
    public var trees: [Tree]
    public var training: TrainingOptions
    public var metrics: EvaluationReport
    public var provenance: ModelProvenance

    enum CodingKeys: String, CodingKey {
        case format
        case formatVersion = "format_version"
        case id, objective, classes
        case featureNames = "feature_names"
        case horizon
        case classQuantiles = "class_quantiles"
        case baseMargins = "base_margins"
        case trees, training, metrics, provenance
    }

    /// The file's JSON bytes (keys sorted, so equal models give equal files).
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Metrics of an empty evaluation are NaN: written as a string rather than failing.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        // Encoding plain structs of numbers and strings cannot fail then.
        return try! encoder.encode(self)
    }

    /// Reads and validates a model file; `source` names it in errors.
    public static func decode(_ data: Data, source: String) throws(ModelError) -> ModelFile {
        let file: ModelFile
        do {
            let decoder = JSONDecoder()
            decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
            file = try decoder.decode(ModelFile.self, from: data)
        } catch {
            throw ModelError(source: source, reason: "not a readable Chloe model file: \(decodingErrorText(error))")
        }
        return file
    }

    /// The ensemble over ``FeatureExtractor``'s vector, after checking everything a prediction
    /// relies on.
    func ensemble(source: String) throws(ModelError) -> TreeEnsemble {
        func fail(_ reason: String) -> ModelError { ModelError(source: source, reason: reason) }
        guard format == Self.formatName else { throw fail("format '\(format)' is not '\(Self.formatName)'") }
        guard formatVersion == Self.formatVersion else {
            throw fail("format_version \(formatVersion) is not supported; this build reads version \(Self.formatVersion)")
        }
        guard objective == .softmax, classes == RatingLevel.allCases.count else {
            throw fail("a Chloe model is multi:softprob with 5 classes, not \(objective.rawValue) with \(classes)")
        }
        guard horizon >= 1 else { throw fail("horizon \(horizon) must be at least 1") }
        guard classQuantiles.count == classes - 1, classQuantiles.allSatisfy(\.isFinite),
              zip(classQuantiles, classQuantiles.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw fail("class_quantiles must be \(classes - 1) finite, non-decreasing numbers")
        }
        guard Set(featureNames).count == featureNames.count else { throw fail("feature_names repeats a name") }
        var featureMap = [Int32]()
        for name in featureNames {
            guard let index = FeatureExtractor.names.firstIndex(of: name) else {
                throw fail("unknown feature '\(name)'; known: \(FeatureExtractor.names.joined(separator: ", "))")
            }
            featureMap.append(Int32(index))
        }
        var nodes = [TreeNode]()
        var roots = [Int32]()
        for (t, tree) in trees.enumerated() {
            let n = tree.feature.count
            guard n > 0, tree.threshold.count == n, tree.left.count == n, tree.right.count == n, tree.missingLeft.count == n else {
                throw fail("tree \(t): its node arrays differ in length or are empty")
            }
            let root = nodes.count
            roots.append(Int32(root))
            for i in 0..<n {
                let feature = tree.feature[i]
                if feature == -1 {
                    nodes.append(TreeNode(leaf: tree.threshold[i]))
                    continue
                }
                guard featureNames.indices.contains(feature) else {
                    throw fail("tree \(t) node \(i): feature \(feature) is not an index into feature_names")
                }
                guard (0..<n).contains(tree.left[i]), (0..<n).contains(tree.right[i]) else {
                    throw fail("tree \(t) node \(i): child index out of range")
                }
                nodes.append(TreeNode(feature: featureMap[feature], threshold: tree.threshold[i], left: Int32(root + tree.left[i]),
                                      right: Int32(root + tree.right[i]), missingLeft: tree.missingLeft[i] != 0))
            }
        }
        return try TreeEnsemble(objective: objective, classCount: classes, featureCount: FeatureExtractor.count, nodes: nodes,
                                roots: roots, treeMargins: trees.map { Int32($0.margin) }, baseMargins: baseMargins, source: source)
    }
}
