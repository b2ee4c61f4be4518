/// Why a model could not be loaded, trained or used, naming the model (its path or origin)
/// and what is wrong with it in words a user can act on.
public struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The model's path, or where it came from ("training", "inline").
    public let source: String
    /// What is wrong.
    public let reason: String

    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }

    public var description: String { "model \(source): \(reason)" }
}
