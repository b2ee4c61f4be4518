/// Volume-weighted average price of the typical price (high + low + close) / 3 (not in
/// TA-Lib).
///
/// - Session VWAP (`window` 0, the default): the sums restart with the first candle of each
///   UTC day, the day being `floor(time / 86_400_000)` of the candle's epoch-millisecond
///   time (any change of day restarts it). Lookback 0.
/// - Rolling VWAP (`window` N >= 1): over the last N candles including the current one.
///   Lookback N - 1.
///
/// The value is `sum(typical * volume) / sum(volume)`, or the current candle's typical price
/// when the summed volume is 0. The running sums are Neumaier-compensated, so the rolling
/// form stays O(1) per update without drifting; a window (or session) whose volumes are all
/// zero resets them exactly.
public struct VWAP: Sendable {
    /// 0 for the session VWAP, else the number of candles of the rolling VWAP.
    public let window: Int
    /// Rolling form: the window's (typical × volume, volume) pairs, interleaved.
    var pairs: FixedSlots<Double>
    /// Slot of the next pair.
    var head = 0
    /// Pairs held, up to `window`.
    var count = 0
    var priceVolumeSum = RangesSupport.CompensatedSum()
    var volumeSum = RangesSupport.CompensatedSum()
    /// Candles with a non-zero volume among those summed.
    var nonZeroVolumes = 0
    var day: Int64 = 0
    var started = false
    /// The latest VWAP; NaN during the warm-up.
    public private(set) var value = Double.nan

    static let millisecondsPerDay: Int64 = 86_400_000

    /// - Parameter window: 0 for the session VWAP (reset at each UTC midnight), or the
    ///   rolling window in candles, 1...100000.
    public init(window: Int = 0) throws(IndicatorError) {
        guard window == 0 || (1...100_000).contains(window) else {
            throw .invalidParameter(indicator: "vwap", parameter: "window", value: window,
                                    reason: "must be 0 (session VWAP) or 1...100000")
        }
        self.window = window
        pairs = FixedSlots<Double>(repeating: 0, count: 2 * max(window, 1))
    }

    public var lookback: Int { window == 0 ? 0 : window - 1 }

    /// The UTC day number of an epoch-millisecond time: `floor(time / 86_400_000)`.
    static func utcDay(_ time: Int64) -> Int64 {
        let q = time / millisecondsPerDay
        return time % millisecondsPerDay < 0 ? q - 1 : q
    }

    /// Feeds one candle; returns the VWAP once `lookback + 1` candles are in, else nil.
    /// - Parameter time: the candle's open time in milliseconds since the Unix epoch (UTC).
    public mutating func update(time: Int64, high: Double, low: Double, close: Double, volume: Double) throws(IndicatorError) -> Double? {
        // Storage first: the uniqueness check is a call, cheapest before any price is live.
        let base = uniquePairs()
        try RangesSupport.check(high: high, low: low, close: close, volume: volume)
        return step(time: time, high: high, low: low, close: close, volume: volume, pairs: base)
    }

    /// The rolling window's storage made unique for writing; nil for the session VWAP, which
    /// does not use it (and so skips the uniqueness check).
    @inline(__always) mutating func uniquePairs() -> UnsafeMutablePointer<Double>? {
        window == 0 ? nil : pairs.uniqueBase()
    }

    /// - Parameter p: `uniquePairs()`.
    @inline(__always) mutating func step(time: Int64, high: Double, low: Double, close: Double, volume: Double, pairs p: UnsafeMutablePointer<Double>?) -> Double? {
        let typical = (high + low + close) / 3
        let priceVolume = typical * volume
        if window == 0 {
            let today = Self.utcDay(time)
            if !started || today != day {
                started = true
                day = today
                priceVolumeSum.reset()
                volumeSum.reset()
                nonZeroVolumes = 0
            }
        } else {
            let slot = 2 &* head
            let p = p.unsafelyUnwrapped
            let oldPriceVolume = p[slot], oldVolume = p[slot &+ 1]
            p[slot] = priceVolume
            p[slot &+ 1] = volume
            head = head &+ 1 == window ? 0 : head &+ 1
            if count == window {
                priceVolumeSum.add(-oldPriceVolume)
                volumeSum.add(-oldVolume)
                if oldVolume != 0 { nonZeroVolumes -= 1 }
            } else {
                count &+= 1
            }
        }
        priceVolumeSum.add(priceVolume)
        volumeSum.add(volume)
        if volume != 0 { nonZeroVolumes += 1 }
        if nonZeroVolumes == 0 {
            priceVolumeSum.reset()
            volumeSum.reset()
        }
        if count < window { return nil }
        let totalVolume = volumeSum.total
        value = totalVolume == 0 ? typical : priceVolumeSum.total / totalVolume
        return value
    }

    /// The VWAP of a whole series: NaN for the first `lookback` entries.
    public static func batch(time: [Int64], high: [Double], low: [Double], close: [Double], volume: [Double], window: Int = 0) throws(IndicatorError) -> [Double] {
        RangesSupport.requireSameCount(time.count, high.count, low.count, close.count, volume.count)
        let prototype = try VWAP(window: window)
        return try time.withUnsafeBufferPointer { (time) throws(IndicatorError) in
            try high.withUnsafeBufferPointer { (high) throws(IndicatorError) in
                try low.withUnsafeBufferPointer { (low) throws(IndicatorError) in
                    try close.withUnsafeBufferPointer { (close) throws(IndicatorError) in
                        try volume.withUnsafeBufferPointer { (volume) throws(IndicatorError) in
                            var check = BatchSupport.FiniteCheck()
                            let result = BatchSupport.column(close.count) { out in
                                // A local copy the optimizer can keep in registers across the loop; it
                                // is not copied again, so its storage, made unique once, stays unique.
                                var indicator = prototype
                                let base = indicator.uniquePairs()
                                for i in 0..<close.count {
                                    check.add(high[i], low[i], close[i], volume[i])
                                    out[i] = indicator.step(time: time[i], high: high[i], low: low[i], close: close[i], volume: volume[i], pairs: base) ?? .nan
                                }
                            }
                            if check.failed { try BatchSupport.requireFinite(high: high, low: low, close: close, volume: volume) }
                            return result
                        }
                    }
                }
            }
        }
    }
}

extension VWAP: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        let base = uniquePairs()
        try candle.validate()
        return step(time: candle.time, high: candle.high, low: candle.low, close: candle.close, volume: candle.volume, pairs: base) != nil
    }

    public func value(_ index: Int) -> Double { value }
}
