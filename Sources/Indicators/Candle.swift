/// One OHLCV bar: the input every candle indicator consumes.
///
/// `time` is the candle's open time in milliseconds since the Unix epoch (UTC).
public struct Candle: Sendable, Hashable {
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

    /// Throws if any price or the volume is NaN or infinite, naming the field.
    @inline(__always)
    public func validate() throws(IndicatorError) {
        // One branch on the hot path: x - x is +0 for every finite x and NaN otherwise.
        let probe = (open - open) + (high - high) + (low - low) + (close - close) + (volume - volume)
        if probe != 0 { try reportNonFinite() }
    }

    /// Names the first non-finite field (the cold path of `validate`).
    @inline(never)
    func reportNonFinite() throws(IndicatorError) {
        if !open.isFinite { throw .nonFiniteInput(field: "open", value: open) }
        if !high.isFinite { throw .nonFiniteInput(field: "high", value: high) }
        if !low.isFinite { throw .nonFiniteInput(field: "low", value: low) }
        if !close.isFinite { throw .nonFiniteInput(field: "close", value: close) }
        if !volume.isFinite { throw .nonFiniteInput(field: "volume", value: volume) }
    }
}
