/// One closed candle as stored: the symbol, exchange and interval it belongs to, and OHLCV.
public struct StoredCandle: Sendable, Hashable, Codable {
    public var symbol: String
    public var exchange: String
    /// `1m`, `5m`, ...
    public var interval: String
    /// Open time, epoch milliseconds.
    public var time: Int64
    public var open: Double
    public var high: Double
    public var low: Double
    public var close: Double
    public var volume: Double

    public init(symbol: String, exchange: String, interval: String, time: Int64,
                open: Double, high: Double, low: Double, close: Double, volume: Double) {
        self.symbol = symbol
        self.exchange = exchange
        self.interval = interval
        self.time = time
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }
}
