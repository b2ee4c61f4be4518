extension Binance {
    /// Binance symbol names: `BTCUSDT` in payloads, `btcusdt` in stream names, no separator.
    ///
    /// Splitting needs to know where the quote starts. An instrument table (from
    /// `GET /api/v3/exchangeInfo`: each symbol's `baseAsset` and `quoteAsset`) answers exactly;
    /// names not in it are split at the longest known quote suffix.
    public struct Symbols: NativeSymbolMapping {
        /// Quote assets Binance spot lists, matched longest first.
        public static let knownQuotes = [
            "FDUSD", "USDT", "USDC", "TUSD", "BUSD", "USDP", "USDS", "BIDR", "IDRT", "AEUR", "EURI", "BVND",
            "DOGE", "BTC", "ETH", "BNB", "XRP", "TRX", "DOT", "DAI", "PAX", "VAI", "EUR", "GBP", "TRY", "BRL",
            "AUD", "RUB", "UAH", "NGN", "ZAR", "PLN", "RON", "ARS", "JPY", "MXN", "COP", "CZK", "IDR",
        ]

        private let instruments: [String: CanonicalSymbol]
        private let quotes: [String]

        /// - Parameters:
        ///   - instruments: symbols known to trade, mapped exactly.
        ///   - quotes: quote assets for names outside the table.
        public init(instruments: [CanonicalSymbol] = [], quotes: [String] = Symbols.knownQuotes) {
            var table: [String: CanonicalSymbol] = [:]
            for symbol in instruments { table[symbol.base + symbol.quote] = symbol }
            self.instruments = table
            self.quotes = quotes.map { $0.uppercased() }.sorted { $0.count > $1.count }
        }

        public func canonical(native: String) -> CanonicalSymbol? {
            let name = native.uppercased()
            if let symbol = instruments[name] { return symbol }
            for quote in quotes where name.count > quote.count && name.hasSuffix(quote) {
                return CanonicalSymbol("\(name.dropLast(quote.count))/\(quote)")
            }
            return nil
        }

        public func native(_ symbol: CanonicalSymbol) -> String { symbol.base + symbol.quote }

        /// The lower-case name streams use (`btcusdt`).
        public func streamName(_ symbol: CanonicalSymbol) -> String { native(symbol).lowercased() }
    }
}
