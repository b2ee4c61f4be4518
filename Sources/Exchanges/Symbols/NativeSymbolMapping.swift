/// Translates one exchange's symbol names to canonical `BASE/QUOTE` symbols and back.
public protocol NativeSymbolMapping: Sendable {
    /// The canonical symbol for a native name as the exchange sends it, or nil when the name
    /// cannot be read.
    func canonical(native: String) -> CanonicalSymbol?
    /// The name the exchange uses for `symbol`.
    func native(_ symbol: CanonicalSymbol) -> String
}

extension CanonicalSymbol {
    /// Splits `BASE<separator>QUOTE` (Coinbase `BTC-USD`, KuCoin `BTC-USDT`, Kraken `BTC/USD`).
    init?(native: String, separator: Character) {
        let parts = native.split(separator: separator, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        self.init("\(parts[0])/\(parts[1])")
    }
}
