import Exchanges
import Indicators

/// One thing the pipeline publishes to its consumers (WebSocket clients, storage, webhooks).
public enum PipelineRecord: Sendable {
    case signal(Signal)
    case alert(Alert)
    case tick(symbol: CanonicalSymbol, exchange: Exchange, RecentTick)
    case trade(symbol: CanonicalSymbol, exchange: Exchange, RecentTrade)
    /// A closed candle.
    case candle(symbol: CanonicalSymbol, exchange: Exchange, interval: CandleInterval, Candle)
    case status(FeedStatus)
    /// A strategy call failed (or a strategy was parked) for a symbol.
    case strategyError(StrategyFailure)

    public var channel: OutputChannel {
        switch self {
        case .signal: .signals
        case .alert: .alerts
        case .tick, .trade: .ticks
        case .candle: .candles
        case .status, .strategyError: .status
        }
    }

    /// The canonical symbol text (`BTC/USDT`) the record is about.
    public var symbol: String {
        switch self {
        case .signal(let signal): signal.symbol
        case .alert(let alert): alert.symbol
        case .tick(let symbol, _, _), .trade(let symbol, _, _), .candle(let symbol, _, _, _): symbol.description
        case .status(let status): status.symbol
        case .strategyError(let fault): fault.symbol
        }
    }
}

/// A symbol's feed health as the pipeline sees it.
public struct FeedStatus: Sendable, Hashable, Codable {
    public var symbol: String
    public var exchange: String
    /// When it was measured (the pipeline's clock), epoch ms.
    public var time: Int64
    public var quality: Double
    public var lastEventAgeMilliseconds: Int64?
    public var bookInSync: Bool
    public var messages: UInt64
    public var messagesPerSecond: Double
    /// Incident counts by name (`gap`, `resync`, `crossedBook`, ...), only those that happened.
    public var incidents: [String: UInt64]

    public init(symbol: String, exchange: String, time: Int64, quality: Double, lastEventAgeMilliseconds: Int64?, bookInSync: Bool,
                messages: UInt64, messagesPerSecond: Double, incidents: [String: UInt64]) {
        self.symbol = symbol
        self.exchange = exchange
        self.time = time
        self.quality = quality
        self.lastEventAgeMilliseconds = lastEventAgeMilliseconds
        self.bookInSync = bookInSync
        self.messages = messages
        self.messagesPerSecond = messagesPerSecond
        self.incidents = incidents
    }
}
