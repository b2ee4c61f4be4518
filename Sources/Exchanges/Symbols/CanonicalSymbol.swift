/// A market symbol in Chloe's canonical `BASE/QUOTE` form (`BTC/USDT`).
///
/// Exchange-native names (`BTCUSDT`, `BTC-USD`, `XBT/USD`) stay inside each connector; everything
/// past the connector speaks canonical symbols.
public struct CanonicalSymbol: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let base: String
    public let quote: String

    /// Builds a symbol from its two assets, upper-cased.
    public init(base: String, quote: String) {
        self.base = base.uppercased()
        self.quote = quote.uppercased()
    }

    /// Parses `BASE/QUOTE` (also `BASE_QUOTE` and `BASE-QUOTE`, as data file names use).
    /// Returns nil when the text has no single separator or an empty side.
    public init?(_ text: String) {
        let separators: Set<Character> = ["/", "_", "-"]
        let parts = text.split(omittingEmptySubsequences: false) { separators.contains($0) }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
              parts.allSatisfy({ $0.allSatisfy { $0.isLetter || $0.isNumber } })
        else { return nil }
        self.init(base: String(parts[0]), quote: String(parts[1]))
    }

    public var description: String { "\(base)/\(quote)" }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.description < rhs.description }
}
