import Model

/// `GET /model` from the model store (the model serving now), and `POST /model/reload`
/// through the reloader.
public struct LoadedModelInfo: ModelInfoProvider {
    public let store: ModelStore?
    public let reloader: ModelReloader?

    public init(store: ModelStore?, reloader: ModelReloader? = nil) {
        self.store = store
        self.reloader = reloader
    }

    public func reloadModel() async -> ModelReloadAnswer? {
        guard let reloader else { return nil }
        switch reloader.reload() {
        case .loaded(let version): return ModelReloadAnswer(status: "loaded", version: version)
        case .unchanged(let version): return ModelReloadAnswer(status: "unchanged", version: version)
        case .refused(let error):
            return ModelReloadAnswer(status: "refused", version: reloader.store.current.info.id, error: "\(error)")
        }
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
