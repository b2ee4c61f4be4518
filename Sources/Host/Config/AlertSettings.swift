import Foundation

/// `alerts`: where fired alerts are delivered besides the WebSocket, the database and the log.
public struct AlertSettings: Sendable, Hashable {
    /// Webhooks every alert is posted to.
    public var webhooks: [WebhookSettings] = []
    /// The same alert (symbol, strategy, name) is not posted again within this many seconds.
    public var cooldownSeconds: Int = 60
    /// Alerts waiting for delivery at most; beyond it they are dead-lettered.
    public var queueSize: Int = 1000

    public init() {}

    init(reading node: ConfigNode) throws {
        try node.expectKeys(["webhooks", "cooldown_seconds", "queue_size"])
        webhooks = try node.child("webhooks").list([]) { try WebhookSettings(reading: $0) }
        cooldownSeconds = try node.child("cooldown_seconds").int(cooldownSeconds, in: 0...86_400 * 7)
        queueSize = try node.child("queue_size").int(queueSize, in: 1...1_000_000)
    }
}

/// One webhook: where to POST and in which body format.
public struct WebhookSettings: Sendable, Hashable {
    /// The body shape: the alert record, or a chat service's message format.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        case json, slack, discord, telegram
    }

    public var url: String
    public var format: Format = .json
    /// Telegram only: the chat the bot posts to.
    public var chatID: String?
    /// Attempts after the first failure.
    public var retries: Int = 3
    /// Wait before the first retry, doubled after each, milliseconds.
    public var backoffMilliseconds: Int = 500
    /// Longest wait between retries, milliseconds.
    public var maxBackoffMilliseconds: Int = 30_000
    /// Time one attempt may take, milliseconds.
    public var timeoutMilliseconds: Int = 5000

    public init(url: String, format: Format = .json, chatID: String? = nil, retries: Int = 3,
                backoffMilliseconds: Int = 500, maxBackoffMilliseconds: Int = 30_000, timeoutMilliseconds: Int = 5000) {
        self.url = url
        self.format = format
        self.chatID = chatID
        self.retries = retries
        self.backoffMilliseconds = backoffMilliseconds
        self.maxBackoffMilliseconds = maxBackoffMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    init(reading node: ConfigNode) throws {
        try node.expectKeys(["url", "format", "chat_id", "retries", "backoff_ms", "max_backoff_ms", "timeout_ms"])
        let urlNode = try node.child("url")
        guard let url = try urlNode.optionalString() else { throw urlNode.error("missing; the address to POST alerts to") }
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme),
              parsed.host != nil else {
            throw urlNode.error("'\(url)' is not an http or https URL")
        }
        self.url = url
        let formatNode = try node.child("format")
        let formatName = try formatNode.string(Format.json.rawValue)
        guard let format = Format(rawValue: formatName.lowercased()) else {
            throw formatNode.error("unknown format '\(formatName)'; expected json, slack, discord or telegram")
        }
        self.format = format
        chatID = try node.child("chat_id").optionalString()
        if format == .telegram, chatID == nil { throw try node.child("chat_id").error("required with format telegram") }
        retries = try node.child("retries").int(retries, in: 0...100)
        backoffMilliseconds = try node.child("backoff_ms").int(backoffMilliseconds, in: 0...3_600_000)
        maxBackoffMilliseconds = try node.child("max_backoff_ms").int(maxBackoffMilliseconds, in: 0...3_600_000)
        timeoutMilliseconds = try node.child("timeout_ms").int(timeoutMilliseconds, in: 1...600_000)
    }
}
