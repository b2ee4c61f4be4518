import Foundation

import Exchanges

/// Reads symbol names as users give them — canonical (`BTC/USDT`, `BTC_USDT`) or the
/// exchange's own (`BTCUSDT` on Binance, `BTC-USD` on Coinbase and KuCoin, `XBT/USD` on
/// Kraken) — using each exchange's symbol mapping.
public enum SymbolNames {
    /// The canonical symbol `name` means on `exchange`, nil when it cannot be read.
    public static func resolve(_ name: String, on exchange: Exchange) -> CanonicalSymbol? {
        let text = name.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, text.count <= 64 else { return nil }
        let native: CanonicalSymbol? = switch exchange {
        case .binance: Binance.Symbols().canonical(native: text)
        case .coinbase: Coinbase.Symbols().canonical(native: text)
        case .kraken: Kraken.Symbols().canonical(native: text)
        case .kucoin: KuCoin.Symbols().canonical(native: text)
        case .sim: nil
        }
        return native ?? CanonicalSymbol(text) ?? Binance.Symbols().canonical(native: text)
    }

    /// Every name resolved, or an error naming each one that is not a symbol.
    public static func resolve(_ names: [String], on exchange: Exchange) throws(SymbolNameError) -> [CanonicalSymbol] {
        var symbols: [CanonicalSymbol] = []
        var bad: [String] = []
        for name in names {
            if let symbol = resolve(name, on: exchange) { symbols.append(symbol) } else { bad.append(name) }
        }
        guard bad.isEmpty else { throw SymbolNameError(names: bad, exchange: exchange) }
        return symbols
    }
}

/// Symbol names that could not be read.
public struct SymbolNameError: Error, Sendable, Equatable, CustomStringConvertible {
    public let names: [String]
    public let exchange: Exchange

    public var description: String {
        "not a symbol on \(exchange.displayName): \(names.map { "'\($0)'" }.joined(separator: ", ")); "
            + "use BASE/QUOTE (BTC/USDT) or the exchange's own name"
    }
}
