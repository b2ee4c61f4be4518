import Exchanges

/// One entry of `feeds`: an exchange and the symbols to follow on it.
public struct FeedSettings: Sendable, Hashable {
    public var exchange: Exchange
    /// Canonical (`BTC/USDT`) or exchange-native (`BTCUSDT`) names.
    public var symbols: [String]
    /// Exchange-specific options (for `sim`: `speed`, `files`, ...), as text.
    public var options: [String: String]

    public init(exchange: Exchange, symbols: [String], options: [String: String] = [:]) {
        self.exchange = exchange
        self.symbols = symbols
        self.options = options
    }

    /// The default feed: the simulated exchange replaying the bundled sample candles.
    public static let defaults: [FeedSettings] = [
        FeedSettings(exchange: .sim, symbols: ["ETH/BTC", "ADA/BTC", "LTC/BTC", "XLM/BTC", "XRP/ETH"],
                     options: ["samples": "samples/candles"]),
    ]

    init(reading node: ConfigNode) throws {
        try node.expectKeys(["exchange", "symbols", "options"])
        let exchangeNode = try node.child("exchange")
        guard let name = try exchangeNode.optionalString() else { throw exchangeNode.error("missing; one of \(Self.exchangeNames)") }
        guard let exchange = Exchange(rawValue: name.lowercased()) else {
            throw exchangeNode.error("unknown exchange '\(name)'; expected one of \(Self.exchangeNames)")
        }
        self.exchange = exchange
        let symbolsNode = try node.child("symbols")
        symbols = try symbolsNode.stringList([])
        guard !symbols.isEmpty else { throw symbolsNode.error("needs at least one symbol") }
        if let bad = symbols.first(where: { $0.isEmpty || $0.count > 64 }) {
            throw symbolsNode.error("symbol '\(bad)' must be 1 to 64 characters")
        }
        options = [:]
        for (key, value) in try node.child("options").entries() {
            options[key] = try value.parameter().description
        }
    }

    static let exchangeNames = Exchange.allCases.map(\.rawValue).joined(separator: ", ")
}
