/// A model's metrics on its validation part and on each evaluation file, as `chloe train
/// --report` writes them and the model file stores them:
/// `{"validation": M, "eval": [{"file": ..., ...M}]}`.
public struct EvaluationReport: Sendable, Codable, Equatable {
    /// Metrics on one evaluation file.
    public struct FileMetrics: Sendable, Codable, Equatable {
        public var file: String
        public var metrics: ClassificationMetrics

        public init(file: String, metrics: ClassificationMetrics) {
            self.file = file
            self.metrics = metrics
        }

        enum CodingKeys: String, CodingKey { case file }

        public init(from decoder: any Decoder) throws {
            file = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .file)
            metrics = try ClassificationMetrics(from: decoder)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(file, forKey: .file)
            try metrics.encode(to: encoder)
        }
    }

    public var validation: ClassificationMetrics
    public var eval: [FileMetrics]

    public init(validation: ClassificationMetrics, eval: [FileMetrics]) {
        self.validation = validation
        self.eval = eval
    }
}
