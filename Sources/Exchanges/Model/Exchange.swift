/// The venues Chloe connects to, plus the simulated exchange. The raw value is the name used
/// in configuration, on the command line (`chloe decode --exchange kucoin`) and in normalized JSON.
public enum Exchange: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case binance
    case coinbase
    case kraken
    case kucoin
    /// The simulated exchange: replayed CSV files or a seeded random walk, no network.
    case sim

    /// The real venues, which speak a wire protocol (`chloe decode` reads their frames).
    public static let venues: [Exchange] = [.binance, .coinbase, .kraken, .kucoin]

    /// Whether this is a real venue with a wire protocol (not the simulated exchange).
    public var isVenue: Bool { self != .sim }

    /// The venue's own spelling, for messages meant for people.
    public var displayName: String {
        switch self {
        case .binance: "Binance"
        case .coinbase: "Coinbase"
        case .kraken: "Kraken"
        case .kucoin: "KuCoin"
        case .sim: "Simulated"
        }
    }

    public var description: String { rawValue }
}
