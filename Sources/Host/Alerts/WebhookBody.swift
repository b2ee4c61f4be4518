import Foundation

/// The body posted for an alert, in a webhook's format.
enum WebhookBody {
    /// The JSON body of `alert` for `webhook`.
    static func encode(_ alert: Alert, for webhook: WebhookSettings) throws -> Data {
        let encoder = RecordCoding.makeEncoder()
        switch webhook.format {
        case .json:
            return try encoder.encode(alert)
        case .slack:
            return try encoder.encode(["text": text(alert)])
        case .discord:
            return try encoder.encode(["content": String(text(alert).prefix(2000))])
        case .telegram:
            return try encoder.encode(["chat_id": webhook.chatID ?? "", "text": String(text(alert).prefix(4096))])
        }
    }

    /// One line a person reads: severity, symbol, strategy, alert name, message, price, exchange and time.
    static func text(_ alert: Alert) -> String {
        let time = Date(timeIntervalSince1970: Double(alert.time) / 1000).formatted(.iso8601)
        let price = alert.price.map { " at \($0)" } ?? ""
        return "[\(alert.severity.rawValue.uppercased())] \(alert.symbol) \(alert.strategy)/\(alert.name): \(alert.message)\(price) (\(alert.exchange), \(time))"
    }
}
