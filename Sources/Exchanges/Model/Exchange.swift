/// The venues Chloe connects to. The raw value is the name used in configuration, on the
/// command line (`chloe decode --exchange kucoin`) and in normalized JSON.
public enum Exchange: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case binance
    case coinbase
    case kraken
    case kucoin

    /// The venue's own spelling, for messages meant for people.
    public var displayName: String {
        switch self {
        case .binance: "Binance"
        case .coinbase: "Coinbase"
        case .kraken: "Kraken"
        case .kucoin: "KuCoin"
        }
    }

    public var description: String { rawValue }
}
