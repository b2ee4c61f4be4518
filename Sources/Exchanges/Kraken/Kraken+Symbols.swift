extension Kraken {
    /// Kraken v2 symbols: `BTC/USD`. Version 1 asset codes (`XBT`, `XDG`) are read as their
    /// v2 names; v2 rejects them in requests, so they are never written.
    public struct Symbols: NativeSymbolMapping {
        /// Version 1 asset codes and their v2 names.
        public static let legacyAssets = ["XBT": "BTC", "XDG": "DOGE"]

        public init() {}

        public func canonical(native: String) -> CanonicalSymbol? {
            guard let symbol = CanonicalSymbol(native: native, separator: "/") else { return nil }
            return CanonicalSymbol(base: Self.legacyAssets[symbol.base] ?? symbol.base,
                                   quote: Self.legacyAssets[symbol.quote] ?? symbol.quote)
        }

        public func native(_ symbol: CanonicalSymbol) -> String { "\(symbol.base)/\(symbol.quote)" }
    }
}
