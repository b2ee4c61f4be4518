import Foundation

/// Holds the model every symbol rates with, and swaps in a new one only once it validates:
/// a bad file is refused with its error and the previous model keeps serving.
///
/// Reading ``current`` takes a lock for a pointer copy; take it once per candle close.
public final class ModelStore: @unchecked Sendable {
    // Guarded by `lock`; the model itself is immutable.
    private var model: ServingModel
    private let lock = NSLock()

    public init(_ model: ServingModel) {
        self.model = model
    }

    /// The model serving now.
    public var current: ServingModel {
        lock.withLock { model }
    }

    /// Serves `model` from now on.
    public func replace(with model: ServingModel) {
        lock.withLock { self.model = model }
    }

    /// Loads the model file at `path` and serves it if it validates; otherwise throws and the
    /// previous model keeps serving. Returns the new model.
    @discardableResult
    public func reload(path: String) throws(ModelError) -> ServingModel {
        let loaded = try ServingModel.load(path: path)
        replace(with: loaded)
        return loaded
    }
}
