import Foundation
import Testing
@testable import Exchanges

/// The exchange frames copied from `../shared/fixtures/exchanges` (provenance in
/// `Fixtures/SOURCES.md`).
enum Fixture {
    static let directory = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    /// The bytes of `Fixtures/<exchange>/<name>`.
    static func bytes(_ exchange: Exchange, _ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(exchange.rawValue).appendingPathComponent(name)))
    }

    /// Every fixture file name of an exchange, sorted.
    static func names(_ exchange: Exchange) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent(exchange.rawValue).path)
            .filter { $0.hasSuffix(".json") }.sorted()
    }

    /// The fixture whose name starts with `prefix` (`"09-"`).
    static func named(_ exchange: Exchange, _ prefix: String) throws -> [UInt8] {
        let names = try names(exchange).filter { $0.hasPrefix(prefix) }
        try #require(names.count == 1, "one fixture starting with \(prefix)")
        return try bytes(exchange, names[0])
    }

    /// Decodes a fixture with `decoder`.
    static func decode<D: MarketDecoder>(_ prefix: String, with decoder: inout D, receivedAt: Int64 = 0) throws -> [MarketEvent] {
        try decoder.decode(named(decoder.exchange, prefix), receivedAt: receivedAt)
    }
}

/// An exact decimal from test text.
func dec(_ text: String) -> ExactDecimal {
    guard let value = ExactDecimal(text) else { fatalError("bad decimal literal \(text)") }
    return value
}

/// A canonical symbol from test text.
func sym(_ text: String) -> CanonicalSymbol {
    guard let symbol = CanonicalSymbol(text) else { fatalError("bad symbol literal \(text)") }
    return symbol
}

extension MarketEvent.Payload {
    var ticker: Ticker? { if case let .ticker(value) = self { value } else { nil } }
    var trade: Trade? { if case let .trade(value) = self { value } else { nil } }
    var snapshot: BookUpdate? { if case let .bookSnapshot(value) = self { value } else { nil } }
    var delta: BookUpdate? { if case let .bookDelta(value) = self { value } else { nil } }
    var subscription: Subscription? { if case let .subscribed(value) = self { value } else { nil } }
    var error: ExchangeMessageError? { if case let .error(value) = self { value } else { nil } }

    /// The normalized type name, for compact assertions.
    var name: String {
        switch self {
        case .ticker: "ticker"
        case .trade: "trade"
        case .bookSnapshot: "bookSnapshot"
        case .bookDelta: "bookDelta"
        case .heartbeat: "heartbeat"
        case .connected: "connected"
        case .subscribed: "subscribed"
        case .disconnected: "disconnected"
        case .resynced: "resynced"
        case .serverShutdown: "serverShutdown"
        case .error: "error"
        case let .other(kind): "other(\(kind))"
        }
    }
}
