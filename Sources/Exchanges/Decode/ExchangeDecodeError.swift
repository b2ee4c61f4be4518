/// Why a frame could not be decoded: malformed JSON, or a field missing or of the wrong type.
/// The description names the exchange, the message kind when known, and the reason.
public struct ExchangeDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Kind: Sendable, Equatable {
        case malformedJSON(JSONSyntaxError)
        case invalidField(FieldError)
    }

    /// The exchange whose frame failed.
    public let exchange: Exchange
    private let kind: Kind

    init(_ exchange: Exchange, _ error: JSONSyntaxError) {
        self.exchange = exchange
        self.kind = .malformedJSON(error)
    }

    init(_ exchange: Exchange, _ error: FieldError) {
        self.exchange = exchange
        self.kind = .invalidField(error)
    }

    /// True when the frame was not valid JSON at all (as opposed to valid JSON with a bad field).
    public var isMalformedJSON: Bool {
        if case .malformedJSON = kind { true } else { false }
    }

    /// The reason without the exchange's name.
    public var reason: String {
        switch kind {
        case let .malformedJSON(error):
            return error.description
        case let .invalidField(error):
            let place = error.message.map { "\($0): " } ?? ""
            return "\(place)field '\(error.field)' \(error.reason)"
        }
    }

    public var description: String { "\(exchange.displayName): \(reason)" }
}
