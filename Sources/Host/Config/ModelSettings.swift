/// `model`: the 5-level rating model.
public struct ModelSettings: Sendable, Hashable {
    /// Model file (JSON); when missing, signals carry no model rating.
    public var path: String = "models/default.json"

    public init() {}

    init(reading node: ConfigNode) throws {
        try node.expectKeys(["path"])
        path = try node.child("path").string(path)
    }
}
