/// Builds OHLCV candles of one interval from a stream of trades (or of shorter candles),
/// streaming and allocation-free.
///
/// A candle opens with the first trade of its interval (open time aligned to the interval, see
/// ``CandleInterval/openTime(containing:)``) and closes when a trade of a later interval
/// arrives, or when ``close(before:)`` / ``flush()`` is called (a timer, the end of a replay).
/// Intervals without a trade produce no candle, as in the exchanges' recorded data.
///
/// Trades must come in time order; a trade older than the open candle (its interval already
/// closed) is not folded in but counted in ``lateTrades``.
public struct CandleBuilder: Sendable {
    public let interval: CandleInterval
    /// The candle being built, nil before the first trade and after a close.
    public private(set) var current: Candle?
    /// The open time of the newest candle opened (kept after it closes, to spot late trades).
    public private(set) var lastOpenTime: Int64 = .min
    /// Trades (or candles) refused because their interval had already closed.
    public private(set) var lateTrades: UInt64 = 0

    public init(interval: CandleInterval) {
        self.interval = interval
    }

    /// Adds a trade at `time` (epoch ms). Returns the candle it closed, if the trade opened a
    /// later interval.
    @inline(__always)
    public mutating func add(time: Int64, price: Double, size: Double) -> Candle? {
        // Most trades fall in the open candle: found without the division that gives a time's
        // open time (the open candle's time is aligned, so the test is the same).
        let openTime = if let candle = current, time >= candle.time, time &- candle.time < interval.milliseconds {
            candle.time
        } else {
            interval.openTime(containing: time)
        }
        return merge(openTime: openTime, open: price, high: price, low: price, close: price, volume: size)
    }

    /// Adds a shorter candle (e.g. a `1m` candle into a `5m` builder), as if its trades came
    /// one by one. Returns the candle it closed, if any.
    @inline(__always)
    public mutating func add(_ candle: Candle) -> Candle? {
        merge(openTime: interval.openTime(containing: candle.time), open: candle.open, high: candle.high,
              low: candle.low, close: candle.close, volume: candle.volume)
    }

    /// Closes the open candle if its interval ended at or before `now` (a timer's call).
    public mutating func close(before now: Int64) -> Candle? {
        guard let candle = current, candle.time + interval.milliseconds <= now else { return nil }
        current = nil
        return candle
    }

    /// Closes the open candle whatever the time (the end of a replay).
    public mutating func flush() -> Candle? {
        defer { current = nil }
        return current
    }

    @inline(__always)
    private mutating func merge(openTime: Int64, open: Double, high: Double, low: Double, close: Double, volume: Double) -> Candle? {
        if var candle = current, candle.time == openTime {
            if high > candle.high { candle.high = high }
            if low < candle.low { candle.low = low }
            candle.close = close
            candle.volume += volume
            current = candle
            return nil
        }
        guard openTime > lastOpenTime else {
            lateTrades &+= 1
            return nil
        }
        let closed = current
        lastOpenTime = openTime
        current = Candle(time: openTime, open: open, high: high, low: low, close: close, volume: volume)
        return closed
    }
}
