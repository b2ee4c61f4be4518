/// The one-line JSON form of a ``MarketEvent`` that `chloe decode` prints:
///
/// - `type`: `ticker`, `trade`, `book_snapshot`, `book_delta`, `heartbeat`, `subscribed`,
///   `error` or `other`; then `exchange`, `symbol` (canonical, when the event has one) and
///   `time` (the exchange's event time in epoch ms, when the frame has one);
/// - ticker: `last`, `bid`, `ask`, `bid_size`, `ask_size` (those sent);
/// - trade: `price`, `size`, `side` (the taker's: `buy` or `sell`), `id` (a string);
/// - book: `sequence` (when sent), `bids` and `asks` as `[[price, size], ...]`;
/// - subscribed: `channels` (when named); error: `code` (when sent) and `message`;
///   other: `kind` (`connected`, `server_shutdown`, `request subscribe`, ...).
///
/// Prices and sizes are JSON numbers printed as their exact decimal text (`0.3521`).
public enum NormalizedJSON {
    public static func line(for event: MarketEvent) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.key("type")
        json.string(typeName(event.payload))
        json.key("exchange")
        json.string(event.exchange.rawValue)
        if let symbol = event.symbol {
            json.key("symbol")
            json.string(symbol.description)
        }
        if let time = event.eventTime {
            json.key("time")
            json.number(time)
        }
        switch event.payload {
        case let .ticker(ticker):
            for (key, value) in [("last", ticker.last), ("bid", ticker.bid), ("ask", ticker.ask),
                                 ("bid_size", ticker.bidSize), ("ask_size", ticker.askSize)] {
                guard let value else { continue }
                json.key(key)
                json.number(value)
            }
        case let .trade(trade):
            json.key("price")
            json.number(trade.price)
            json.key("size")
            json.number(trade.size)
            json.key("side")
            json.string(trade.takerSide.rawValue)
            json.key("id")
            json.string(trade.id)
        case let .bookSnapshot(book), let .bookDelta(book):
            if let sequence = event.sequence {
                json.key("sequence")
                json.number(sequence)
            }
            json.key("bids")
            write(book.bids, to: &json)
            json.key("asks")
            write(book.asks, to: &json)
        case let .subscribed(subscription) where !subscription.channels.isEmpty:
            json.key("channels")
            json.strings(subscription.channels)
        case let .error(error):
            if let code = error.code {
                json.key("code")
                json.string(code)
            }
            json.key("message")
            json.string(error.message)
        case .connected, .disconnected, .resynced, .serverShutdown, .other:
            json.key("kind")
            json.string(otherKind(event.payload))
        case .heartbeat, .subscribed:
            break
        }
        json.endObject()
        return json.text
    }

    private static func typeName(_ payload: MarketEvent.Payload) -> String {
        switch payload {
        case .ticker: "ticker"
        case .trade: "trade"
        case .bookSnapshot: "book_snapshot"
        case .bookDelta: "book_delta"
        case .heartbeat: "heartbeat"
        case .subscribed: "subscribed"
        case .error: "error"
        case .connected, .disconnected, .resynced, .serverShutdown, .other: "other"
        }
    }

    private static func otherKind(_ payload: MarketEvent.Payload) -> String {
        switch payload {
        case .connected: "connected"
        case .disconnected: "disconnected"
        case .resynced: "resynced"
        case .serverShutdown: "server_shutdown"
        case let .other(kind): kind
        default: ""
        }
    }

    private static func write(_ levels: [BookLevel], to json: inout JSONWriter) {
        json.beginArray()
        for level in levels {
            json.beginArray()
            json.number(level.price)
            json.number(level.size)
            json.endArray()
        }
        json.endArray()
    }
}
