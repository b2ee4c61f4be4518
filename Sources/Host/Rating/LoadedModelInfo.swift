import Model

/// `GET /model` from the model store: the model serving now.
public struct LoadedModelInfo: ModelInfoProvider {
    public let store: ModelStore?

    public init(store: ModelStore?) {
        self.store = store
    }

    public func modelInfo() async -> ModelInfo? {
        guard let info = store?.current.info else { return nil }
        var metrics: [String: Double] = [:]
        if let validation = info.metrics?.validation {
            metrics = ["validation_accuracy": validation.accuracy, "validation_macro_f1": validation.macroF1,
                       "validation_logloss": validation.logloss, "validation_prior_logloss": validation.priorLogloss]
        }
        return ModelInfo(version: info.id, path: info.source, features: info.featureNames,
                         classes: info.classCount == 5 ? RatingLevel.allCases.map(\.name) : ["down", "up"],
                         trainedAt: info.provenance?.created, metrics: metrics)
    }
}
