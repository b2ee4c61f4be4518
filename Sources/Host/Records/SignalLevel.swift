import Model

/// A signal's level: one of the five rating levels, or `unknown` when the symbol's feed cannot
/// be trusted (stale data, a book out of sync) and no level should be acted on.
public enum SignalLevel: Sendable, Hashable, Codable, CustomStringConvertible {
    case rated(RatingLevel)
    case unknown

    /// The wire name: `strong_sell`, `sell`, `neutral`, `buy`, `strong_buy` or `unknown`.
    public var name: String {
        switch self {
        case .rated(let level): level.name
        case .unknown: "unknown"
        }
    }

    /// The level named `name`, or nil.
    public init?(name: String) {
        if name == "unknown" {
            self = .unknown
        } else if let level = RatingLevel(name: name) {
            self = .rated(level)
        } else {
            return nil
        }
    }

    /// The signed score -2...2, or nil for `unknown`.
    public var score: Int? {
        if case .rated(let level) = self { return level.score }
        return nil
    }

    public var description: String { name }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let level = SignalLevel(name: text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "unknown signal level '\(text)'; expected strong_sell, sell, neutral, buy, strong_buy or unknown"))
        }
        self = level
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
