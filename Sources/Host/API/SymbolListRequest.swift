import Exchanges
import Foundation

/// The body of `POST /realtime/start` and `/realtime/stop`: `{"symbols": [...], "exchange": "binance"}`.
struct SymbolListRequest: Sendable, Hashable {
    var symbols: [String]
    var exchange: Exchange?

    /// Longest accepted symbol name.
    static let maximumSymbolLength = 64
    /// Most symbols in one request.
    static let maximumSymbols = 1000

    /// Parses and checks `body`; every problem is a 400 that says what is wrong.
    init(json body: [UInt8]) throws {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(body), options: [])
        } catch {
            throw APIError.badRequest("body is not valid JSON; expected {\"symbols\": [\"BTC/USDT\", ...], \"exchange\": \"binance\"}")
        }
        guard let fields = object as? [String: Any] else { throw APIError.badRequest("body must be a JSON object with 'symbols'") }
        if let unknown = fields.keys.sorted().first(where: { !["symbols", "exchange"].contains($0) }) {
            throw APIError.badRequest("unknown field '\(unknown.prefix(64))'; expected symbols and exchange")
        }
        guard let rawSymbols = fields["symbols"] else { throw APIError.badRequest("'symbols' is missing; give a non-empty array of symbol names") }
        guard let list = rawSymbols as? [Any], !(rawSymbols is String) else {
            throw APIError.badRequest("'symbols' must be a non-empty array of strings")
        }
        guard !list.isEmpty else { throw APIError.badRequest("'symbols' must not be empty") }
        guard list.count <= Self.maximumSymbols else { throw APIError.badRequest("'symbols' has \(list.count) entries; at most \(Self.maximumSymbols)") }
        var symbols: [String] = []
        for (index, item) in list.enumerated() {
            guard let symbol = item as? String else { throw APIError.badRequest("symbols[\(index)] must be a string") }
            let trimmed = symbol.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { throw APIError.badRequest("symbols[\(index)] is empty") }
            guard trimmed.count <= Self.maximumSymbolLength else {
                throw APIError.badRequest("symbols[\(index)] is \(trimmed.count) characters long; at most \(Self.maximumSymbolLength)")
            }
            guard trimmed.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "/-_:.".unicodeScalars.contains($0)) }) else {
                throw APIError.badRequest("symbols[\(index)] '\(trimmed)' has characters a symbol cannot have (letters, digits and / - _ : . only)")
            }
            symbols.append(trimmed)
        }
        self.symbols = symbols
        if let rawExchange = fields["exchange"], !(rawExchange is NSNull) {
            guard let name = rawExchange as? String else { throw APIError.badRequest("'exchange' must be a string") }
            guard let exchange = Exchange(rawValue: name.lowercased()) else {
                throw APIError.badRequest("unknown exchange '\(name.prefix(64))'; expected \(Exchange.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.exchange = exchange
        } else {
            exchange = nil
        }
    }
}
