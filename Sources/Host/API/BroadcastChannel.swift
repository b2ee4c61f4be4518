/// What a WebSocket client can subscribe to.
public enum BroadcastChannel: String, Sendable, Hashable, Codable, CaseIterable {
    case signals, alerts, ticks, candles, status

    /// The `type` of this channel's messages (`signal`, `alert`, `tick`, `candle`, `status`).
    public var messageType: String {
        switch self {
        case .signals: "signal"
        case .alerts: "alert"
        case .ticks: "tick"
        case .candles: "candle"
        case .status: "status"
        }
    }
}

/// One message queued for a client: a published record (encoded once for every client that
/// wants it) or a reply to the client itself.
struct BroadcastMessage: Sendable {
    /// The message `type` (`signal`, `pong`, ...).
    let type: String
    let channel: BroadcastChannel?
    /// The symbol it is about; nil for messages about everything (status) and replies.
    let symbol: String?
    /// The `data` member, as JSON.
    let json: String
    /// The frame after its `seq` (channel, symbol and data), built once for every client.
    let tail: String

    init(type: String, channel: BroadcastChannel?, symbol: String?, json: String) {
        self.type = type
        self.channel = channel
        self.symbol = symbol
        self.json = json
        var tail = ""
        tail.reserveCapacity(json.utf8.count + (symbol?.utf8.count ?? 0) + 48)
        if let channel { tail += ",\"channel\":\"\(channel.rawValue)\"" }
        if let symbol { tail += ",\"symbol\":" + JSONText.string(symbol) }
        self.tail = tail + ",\"data\":" + json + "}"
    }
}

/// What one client wants: channels, and symbols (empty = every symbol).
struct BroadcastFilter: Sendable, Hashable {
    var channels: Set<BroadcastChannel> = []
    var symbols: Set<String> = []

    func wants(_ channel: BroadcastChannel, symbol: String?) -> Bool {
        guard channels.contains(channel) else { return false }
        guard let symbol, !symbols.isEmpty else { return true }
        return symbols.contains(symbol)
    }
}
