/// On-balance volume (TA-Lib `OBV` of close and volume): a running total that adds the
/// candle's volume when the close rose, subtracts it when the close fell, and keeps it when
/// unchanged. The first value is the first candle's volume.
///
/// Lookback 0.
public struct OBV: Sendable {
    var previousClose = 0.0
    var started = false
    /// The latest total; NaN before the first candle.
    public private(set) var value = Double.nan

    public init() {}

    public var lookback: Int { 0 }

    /// Feeds one candle's close and volume; returns the running total.
    public mutating func update(close: Double, volume: Double) throws(IndicatorError) -> Double {
        if !close.isFinite { throw .nonFiniteInput(field: "close", value: close) }
        if !volume.isFinite { throw .nonFiniteInput(field: "volume", value: volume) }
        return step(close: close, volume: volume)
    }

    @inline(__always) mutating func step(close: Double, volume: Double) -> Double {
        if started {
            value += Self.signedVolume(change: close - previousClose, volume: volume)
        } else {
            started = true
            value = volume
        }
        previousClose = close
        return value
    }

    /// `volume` when the close rose, `-volume` when it fell, `-0.0` when unchanged (adding
    /// -0.0 leaves every total, -0.0 included, as it is; `total - v` is `total + (-v)`), from
    /// the change's sign bit rather than a branch on the direction, which mispredicts on a
    /// real series. For finite closes the change is non-zero exactly when they differ, with
    /// the sign of their comparison. The batch loop uses it too.
    @inline(__always) static func signedVolume(change: Double, volume: Double) -> Double {
        let sign: UInt64 = 0x8000_0000_0000_0000
        return Double(bitPattern: change != 0.0 ? volume.bitPattern ^ (change.bitPattern & sign) : sign)
    }

    /// The OBV of a whole series (no warm-up).
    public static func batch(close: [Double], volume: [Double]) throws(IndicatorError) -> [Double] {
        RangesSupport.requireSameCount(close.count, volume.count)
        return try close.withUnsafeBufferPointer { (close) throws(IndicatorError) in
            try volume.withUnsafeBufferPointer { (volume) throws(IndicatorError) in
                var check = BatchSupport.FiniteCheck()
                let result = BatchSupport.column(close.count) { out in
                    guard close.count > 0 else { return }
                    check.add(close[0], volume[0])
                    var total = volume[0]
                    out[0] = total
                    // Two loops per block of 32 candles. The first writes each candle's signed
                    // volume (v, -v, or -0.0 for an unchanged close) and checks the inputs; it
                    // has no dependency between candles, so it vectorises, branch-free. The
                    // second adds them up in order, one addition per candle, the only chain.
                    // Blocks this small let the next block's first loop run while this one's
                    // additions wait for each other. Bit for bit `step`, which adds the same
                    // signed volumes in the same order.
                    BatchSupport.forEachBlock(of: 1 ..< close.count, size: 32) { block in
                        for i in block {
                            let v = volume[i]
                            check.add(close[i], v)
                            out[i] = signedVolume(change: close[i] - close[i &- 1], volume: v)
                        }
                        for i in block {
                            total += out[i]
                            out[i] = total
                        }
                    }
                }
                if check.failed { try BatchSupport.requireFinite(high: nil, low: nil, close: close, volume: volume) }
                return result
            }
        }
    }
}

extension OBV: CandleIndicator {
    public var outputNames: [String] { [""] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try candle.validate()
        _ = step(close: candle.close, volume: candle.volume)
        return true
    }

    public func value(_ index: Int) -> Double { value }
}
