/// One candle of a recorded candle file (`time,open,high,low,close,volume`), for the simulated
/// exchange to replay. `time` is the open time in epoch milliseconds.
public struct RecordedCandle: Sendable, Equatable {
    public var time: Int64
    public var open: Double
    public var high: Double
    public var low: Double
    public var close: Double
    public var volume: Double

    public init(time: Int64, open: Double, high: Double, low: Double, close: Double, volume: Double) {
        self.time = time
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }
}
