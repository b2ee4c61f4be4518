/// `model`: the 5-level rating model.
public struct ModelSettings: Sendable, Hashable {
    /// Model file (JSON); when missing, signals carry no model rating.
    public var path: String = "models/default.json"
    /// The candle interval the model rates on (the one it was trained on).
    public var interval: String = "5m"

    public init() {}

    init(reading node: ConfigNode) throws {
        try node.expectKeys(["path", "interval"])
        path = try node.child("path").string(path)
        let intervalNode = try node.child("interval")
        interval = try intervalNode.string(interval)
        guard PipelineSettings.seconds(of: interval) != nil else {
            throw intervalNode.error("'\(interval)' is not an interval; use a number and s, m, h or d (1m, 5m)")
        }
    }
}
