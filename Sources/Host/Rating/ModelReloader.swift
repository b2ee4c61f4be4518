import Logging
import Metrics
import Model
import Synchronization

/// Reloads the served model from its file: a file that validates is swapped into the
/// ``Model/ModelStore`` (symbols rate with it from their next candle, and signals carry its
/// version); one that does not is refused with an error naming the file and what is wrong,
/// counted (`chloe_model_reload_failures_total`, ``failures``), and the previous model keeps serving.
///
/// Thread-safe: the file watcher, SIGHUP and tests may call ``reload()`` from any thread.
public final class ModelReloader: Sendable {
    /// What one reload did.
    public enum Outcome: Sendable, Equatable {
        /// A new model serves, with this version.
        case loaded(version: String)
        /// The file holds the model already serving (same version): nothing was swapped.
        case unchanged(version: String)
        /// The file was refused; the previous model keeps serving.
        case refused(ModelError)
    }

    public let store: ModelStore
    /// The model file.
    public let path: String
    private let logger: Logger
    private let state = Mutex(State())
    private let reloadedCounter = Counter(label: "chloe_model_reloads_total")
    private let failedCounter = Counter(label: "chloe_model_reload_failures_total")

    private struct State {
        var failures = 0
        var lastError: ModelError?
    }

    public init(store: ModelStore, path: String, logger: Logger) {
        self.store = store
        self.path = path
        self.logger = logger
    }

    /// Refused reloads since start.
    public var failures: Int { state.withLock { $0.failures } }

    /// Why the last reload was refused; nil once a reload succeeds.
    public var lastError: ModelError? { state.withLock { $0.lastError } }

    /// Loads and validates the file, then swaps it in. Never throws: a refusal is logged,
    /// counted and returned.
    @discardableResult
    public func reload() -> Outcome {
        let previous = store.current.info.id
        let model: ServingModel
        do {
            model = try ServingModel.load(path: path)
        } catch {
            state.withLock {
                $0.failures += 1
                $0.lastError = error
            }
            failedCounter.increment()
            logger.error("model reload refused; the previous model keeps serving",
                         metadata: ["model.path": "\(path)", "model.version": "\(previous)", "error": "\(error)"])
            return .refused(error)
        }
        state.withLock { $0.lastError = nil }
        guard model.info.id != previous else { return .unchanged(version: previous) }
        store.replace(with: model)
        reloadedCounter.increment()
        logger.notice("model reloaded", metadata: ["model.path": "\(path)", "model.version": "\(model.info.id)",
                                                   "model.previous_version": "\(previous)", "model.trees": "\(model.info.treeCount)"])
        return .loaded(version: model.info.id)
    }
}
