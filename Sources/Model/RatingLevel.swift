/// The five-level market rating shared by the model, strategies and signals, from strong sell
/// (-2) to strong buy (+2). The raw value is the class index the model predicts (0...4).
public enum RatingLevel: Int, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    case strongSell = 0
    case sell = 1
    case neutral = 2
    case buy = 3
    case strongBuy = 4

    /// The signed score used in Lua and in JSON: -2 (strong sell) ... +2 (strong buy).
    public var score: Int { rawValue - 2 }

    /// The level for a signed score -2...2, or nil outside that range.
    public init?(score: Int) {
        self.init(rawValue: score + 2)
    }

    /// The wire name: `strong_sell`, `sell`, `neutral`, `buy`, `strong_buy`.
    public var name: String {
        switch self {
        case .strongSell: "strong_sell"
        case .sell: "sell"
        case .neutral: "neutral"
        case .buy: "buy"
        case .strongBuy: "strong_buy"
        }
    }

    /// The level with wire name `name`, or nil.
    public init?(name: String) {
        guard let level = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = level
    }

    public var description: String { name }
}
