import Foundation

/// Loads an XGBoost JSON model (gbtree booster, `multi:softprob` / `multi:softmax` with 5
/// classes, or `binary:logistic`) into a ``TreeEnsemble`` over ``FeatureExtractor``'s vector.
///
/// The model must name its features (`feature_names`), each one of ``FeatureExtractor/names``;
/// its splits are re-indexed to the extractor's order at load, so serving passes the extractor's
/// vector as is. Predictions equal XGBoost's own: XGBoost compares features as 32-bit floats,
/// so each float threshold `t` becomes the double threshold `d` with
/// `Float(x) < t  ⇔  x < d` for every double `x`.
enum XGBoostModelLoader {
    static func load(_ data: Data, source: String) throws(ModelError) -> (TreeEnsemble, ModelInfo) {
        func fail(_ reason: String) -> ModelError { ModelError(source: source, reason: reason) }
        let json: XGBoostJSON
        do {
            json = try JSONDecoder().decode(XGBoostJSON.self, from: data)
        } catch {
            throw fail("not a readable XGBoost JSON model: \(decodingErrorText(error))")
        }
        let learner = json.learner
        guard learner.gradient_booster.name == "gbtree", let gbtree = learner.gradient_booster.model else {
            throw fail("booster '\(learner.gradient_booster.name)' is not supported; train with booster='gbtree'")
        }
        let objective: Objective
        let classCount: Int
        switch learner.objective.name {
        case "multi:softprob", "multi:softmax":
            objective = .softmax
            classCount = Int(learner.learner_model_param.num_class) ?? 0
            guard classCount == RatingLevel.allCases.count else {
                throw fail("\(learner.objective.name) with \(classCount) classes; a rating model has 5 (0 = strong sell ... 4 = strong buy)")
            }
        case "binary:logistic":
            objective = .logistic
            classCount = 2
        default:
            throw fail("objective '\(learner.objective.name)' is not supported; use multi:softprob (5 classes) or binary:logistic")
        }
        if let targets = learner.learner_model_param.num_target, let n = Int(targets), n != 1 {
            throw fail("\(n) targets; only single-target models are supported")
        }
        guard let names = learner.feature_names, !names.isEmpty else {
            throw fail("the model does not name its features; set feature_names (from FeatureExtractor.names) before training")
        }
        guard Int(learner.learner_model_param.num_feature) == names.count else {
            throw fail("num_feature \(learner.learner_model_param.num_feature) but \(names.count) feature names")
        }
        var featureMap = [Int32]()
        for name in names {
            guard let index = FeatureExtractor.names.firstIndex(of: name) else {
                throw fail("unknown feature '\(name)'; known: \(FeatureExtractor.names.joined(separator: ", "))")
            }
            featureMap.append(Int32(index))
        }
        let baseMargins = try Self.baseMargins(learner.learner_model_param.base_score, objective: objective, classCount: classCount, fail: fail)
        guard gbtree.tree_info.count == gbtree.trees.count else {
            throw fail("\(gbtree.trees.count) trees but \(gbtree.tree_info.count) tree_info entries")
        }

        var nodes = [TreeNode]()
        var roots = [Int32]()
        var treeMargins = [Int32]()
        for (t, tree) in gbtree.trees.enumerated() {
            let n = tree.left_children.count
            guard Int(tree.tree_param.num_nodes) == n, n > 0, tree.right_children.count == n, tree.split_indices.count == n,
                  tree.split_conditions.count == n, tree.default_left.values.count == n else {
                throw fail("tree \(t): node arrays disagree with num_nodes \(tree.tree_param.num_nodes)")
            }
            if let size = tree.tree_param.size_leaf_vector.flatMap({ Int($0) }), size > 1 {
                throw fail("tree \(t) has vector leaves (multi_strategy='multi_output_tree'); train with the default one_output_per_tree")
            }
            if let types = tree.split_type, types.contains(where: { $0 != 0 }) {
                throw fail("tree \(t) has categorical splits; only numerical features are supported")
            }
            let root = nodes.count
            roots.append(Int32(root))
            treeMargins.append(Int32(objective == .softmax ? gbtree.tree_info[t] : 0))
            for i in 0..<n {
                let left = tree.left_children[i]
                if left == -1 {
                    nodes.append(TreeNode(leaf: tree.split_conditions[i]))
                    continue
                }
                let right = tree.right_children[i]
                guard (0..<n).contains(left), (0..<n).contains(right) else {
                    throw fail("tree \(t) node \(i): child index out of range")
                }
                let feature = tree.split_indices[i]
                guard names.indices.contains(feature) else {
                    throw fail("tree \(t) node \(i): split on feature \(feature); the model names \(names.count)")
                }
                nodes.append(TreeNode(feature: featureMap[feature], threshold: doubleThreshold(Float(tree.split_conditions[i])),
                                      left: Int32(root + left), right: Int32(root + right), missingLeft: tree.default_left.values[i]))
            }
        }
        let ensemble = try TreeEnsemble(objective: objective, classCount: classCount, featureCount: FeatureExtractor.count, nodes: nodes,
                                        roots: roots, treeMargins: treeMargins, baseMargins: baseMargins, source: source)
        let version = json.version.map { $0.map(String.init).joined(separator: ".") } ?? "unknown"
        let info = ModelInfo(id: "xgboost-\(ModelInfo.fingerprint(data))", kind: .xgboost, objective: objective, classCount: classCount,
                             featureNames: names, treeCount: ensemble.treeCount, source: source,
                             horizon: nil, classQuantiles: nil, metrics: nil,
                             provenance: ModelProvenance(files: [], command: "XGBoost \(version)", created: nil))
        return (ensemble, info)
    }

    /// XGBoost's starting margins: `base_score` is a probability for `binary:logistic`
    /// (its logit is the margin) and margins for softmax (one per class since XGBoost 3).
    static func baseMargins(_ text: String, objective: Objective, classCount: Int,
                            fail: (String) -> ModelError) throws(ModelError) -> [Double] {
        let trimmed = text.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
        let values = trimmed.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0?.isFinite == true }) else { throw fail("base_score '\(text)' is not a number list") }
        let scores = values.map { $0! }
        switch objective {
        case .logistic:
            guard scores.count == 1, scores[0] > 0, scores[0] < 1 else { throw fail("base_score '\(text)' is not a probability in (0, 1)") }
            // XGBoost's ProbToMargin, in 32-bit floats as XGBoost computes it.
            let margin: Float = -logf(1 / scores[0] - 1)
            return [Double(margin)]
        case .softmax:
            if scores.count == 1 { return [Double](repeating: Double(scores[0]), count: classCount) }
            guard scores.count == classCount else { throw fail("base_score has \(scores.count) values for \(classCount) classes") }
            return scores.map(Double.init)
        }
    }

    /// The double `d` with `Float(x) < t ⇔ x < d` for every double `x` (and NaN on neither
    /// side): below `t` the doubles that round to a smaller float, i.e. those under the
    /// midpoint between `t.nextDown` and `t`; the midpoint itself rounds to the even one.
    static func doubleThreshold(_ t: Float) -> Double {
        guard t.isFinite else { return Double(t) }
        let below = t.nextDown
        guard below.isFinite else { return Double(t) }
        let midpoint = (Double(below) + Double(t)) / 2
        // A tie rounds to the float whose last significand bit is 0.
        let tieGoesToBelow = below.significandBitPattern & 1 == 0
        return tieGoesToBelow ? midpoint.nextUp : midpoint
    }
}

/// A short readable form of a `DecodingError` (the coding path and what was wrong).
func decodingErrorText(_ error: any Error) -> String {
    guard let error = error as? DecodingError else { return "\(error)" }
    func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    }
    switch error {
    case let .keyNotFound(key, context): return "missing field '\(key.stringValue)' at \(path(context).isEmpty ? "top level" : path(context))"
    case let .typeMismatch(_, context), let .valueNotFound(_, context), let .dataCorrupted(context):
        return "\(context.debugDescription) at \(path(context).isEmpty ? "top level" : path(context))"
    @unknown default: return "\(error)"
    }
}
