import Foundation

/// What a loaded model is: identity, shape, evaluation and origin. The host serves it at
/// `GET /model`; signals carry its `id` as the model version.
public struct ModelInfo: Sendable, Codable, Equatable {
    /// Who trained the model.
    public enum Kind: String, Sendable, Codable {
        /// `chloe train`.
        case native
        /// XGBoost's JSON format.
        case xgboost
    }

    /// The model version: unique per trained model (`gbt-…`, `xgboost-…`).
    public var id: String
    public var kind: Kind
    public var objective: Objective
    public var classCount: Int
    /// The features the model reads, by name.
    public var featureNames: [String]
    public var treeCount: Int
    /// The file it was loaded from.
    public var source: String
    /// Candles ahead the labels looked (native models).
    public var horizon: Int?
    /// The four forward-return cut points between the five classes (native models).
    public var classQuantiles: [Double]?
    /// Validation and evaluation metrics stored at training (native models).
    public var metrics: EvaluationReport?
    public var provenance: ModelProvenance?

    enum CodingKeys: String, CodingKey {
        case id, kind, objective
        case classCount = "classes"
        case featureNames = "feature_names"
        case treeCount = "trees"
        case source, horizon
        case classQuantiles = "class_quantiles"
        case metrics, provenance
    }

    /// A short stable hex digest of a model's bytes (FNV-1a, 64 bits).
    static func fingerprint(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Where a model came from.
public struct ModelProvenance: Sendable, Codable, Equatable {
    /// The candle files it was trained on.
    public var files: [String]
    /// The command that made it.
    public var command: String
    /// When it was made (ISO 8601), when known.
    public var created: String?

    public init(files: [String], command: String, created: String?) {
        self.files = files
        self.command = command
        self.created = created
    }
}
