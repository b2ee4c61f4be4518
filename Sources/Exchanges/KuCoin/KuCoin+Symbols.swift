extension KuCoin {
    /// KuCoin symbols: `BTC-USDT`.
    public struct Symbols: NativeSymbolMapping {
        public init() {}

        public func canonical(native: String) -> CanonicalSymbol? {
            CanonicalSymbol(native: native, separator: "-")
        }

        public func native(_ symbol: CanonicalSymbol) -> String { "\(symbol.base)-\(symbol.quote)" }
    }
}
