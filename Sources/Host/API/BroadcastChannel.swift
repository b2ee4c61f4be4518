import Exchanges

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
    /// The frame after its `seq` (channel, symbol and data, and the closing brace) as UTF-8,
    /// built once for every client.
    let tail: [UInt8]
    /// Where the `data` member lies in ``tail``.
    private let dataRange: Range<Int>

    /// The `data` member, as JSON.
    var json: String { String(decoding: tail[dataRange], as: UTF8.self) }

    /// - Parameter data: the `data` member, JSON as UTF-8.
    init(type: String, channel: BroadcastChannel?, symbol: String?, data: [UInt8]) {
        self.type = type
        self.channel = channel
        self.symbol = symbol
        var tail: [UInt8] = []
        tail.reserveCapacity(data.count + (symbol?.utf8.count ?? 0) + 48)
        if let channel {
            tail.append(contentsOf: #","channel":""#.utf8)
            tail.append(contentsOf: channel.rawValue.utf8)
            tail.append(UInt8(ascii: "\""))
        }
        if let symbol {
            tail.append(contentsOf: #","symbol":"#.utf8)
            JSONWriter.appendQuoted(symbol, to: &tail)
        }
        tail.append(contentsOf: #","data":"#.utf8)
        let start = tail.count
        tail.append(contentsOf: data)
        dataRange = start..<tail.count
        tail.append(UInt8(ascii: "}"))
        self.tail = tail
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
