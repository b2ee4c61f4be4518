import Foundation

/// A validated model ready to predict from ``FeatureExtractor``'s vector: immutable, shared
/// by every symbol.
public final class ServingModel: Sendable {
    public let info: ModelInfo
    public let ensemble: TreeEnsemble

    public init(info: ModelInfo, ensemble: TreeEnsemble) {
        self.info = info
        self.ensemble = ensemble
    }

    /// Loads and validates the model file at `path`: a Chloe model (`chloe train`) or an
    /// XGBoost JSON model, told apart by their content.
    public static func load(path: String) throws(ModelError) -> ServingModel {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelError(source: path, reason: "cannot read the file (missing or unreadable)")
        }
        return try load(data, source: path)
    }

    /// Loads and validates model JSON; `source` names it in errors and in ``ModelInfo``.
    public static func load(_ data: Data, source: String) throws(ModelError) -> ServingModel {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ModelError(source: source, reason: "not JSON: \(error.localizedDescription)")
        }
        guard let top = object as? [String: Any] else { throw ModelError(source: source, reason: "not a JSON object") }
        if top["learner"] != nil {
            let (ensemble, info) = try XGBoostModelLoader.load(data, source: source)
            return ServingModel(info: info, ensemble: ensemble)
        }
        guard top["format"] as? String == ModelFile.formatName else {
            throw ModelError(source: source, reason: "neither a Chloe model (format \"\(ModelFile.formatName)\") nor an XGBoost JSON model (\"learner\")")
        }
        let file = try ModelFile.decode(data, source: source)
        return try ServingModel(file: file, source: source)
    }

    /// Validates a Chloe model file already decoded (or just trained).
    public convenience init(file: ModelFile, source: String) throws(ModelError) {
        let ensemble = try file.ensemble(source: source)
        let info = ModelInfo(id: file.id, kind: .native, objective: file.objective, classCount: file.classes, featureNames: file.featureNames,
                             treeCount: ensemble.treeCount, source: source, horizon: file.horizon, classQuantiles: file.classQuantiles,
                             metrics: file.metrics, provenance: file.provenance)
        self.init(info: info, ensemble: ensemble)
    }

    /// The level for class probabilities: the most probable class of a 5-class model; for a
    /// logistic model, P(up) in bands of 0.2 from strong sell (< 0.2) to strong buy (≥ 0.8).
    public func level(_ probabilities: UnsafeBufferPointer<Double>) -> RatingLevel {
        switch ensemble.objective {
        case .softmax:
            var best = 0
            for k in 1..<ensemble.classCount where probabilities[k] > probabilities[best] { best = k }
            return RatingLevel(rawValue: best) ?? .neutral
        case .logistic:
            let band = Int((probabilities[1] * 5).rounded(.down))
            return RatingLevel(rawValue: min(4, max(0, band))) ?? .neutral
        }
    }
}
