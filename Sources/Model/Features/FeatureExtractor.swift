import Foundation
import Indicators

/// Turns closed candles, one at a time, into the model's fixed, named feature vector.
///
/// The same code computes features for training (`chloe train`) and for serving (the host's
/// ``Rater`` on every candle close), so the two cannot disagree. Each update is O(1) and does
/// not allocate: it steps the streaming indicators of the `Indicators` target and writes the
/// vector into storage allocated at init.
///
/// Features are scale-free (returns, ratios to price, z-scores) so one model serves symbols of
/// any price. A value that cannot be computed (a zero price, a missing order book) is NaN,
/// which the trees treat as missing.
public struct FeatureExtractor: Sendable {
    /// The feature names, in vector order. Models name the features they use; see `docs/model.md`.
    public static let names: [String] = [
        "ret_1", "ret_3", "ret_6", "ret_12", "ret_24",
        "rsi_14", "macd_hist", "bb_pct_b", "bb_width", "atr_14",
        "volume_z_20", "ema_12_dist", "ema_26_dist", "ema_50_dist",
        "range", "body", "volatility_20", "book_imbalance",
    ]

    /// Number of features.
    public static var count: Int { names.count }

    /// Candles needed before the first vector: the longest indicator warm-up (EMA 50).
    public static let warmUp = 50

    /// The return horizons of `ret_N`, in candles.
    static let returnHorizons = [1, 3, 6, 12, 24]

    var closes = RingBuffer(capacity: 25)
    var rsi: RSI
    var macd: MACD
    var bands: BBANDS
    var atr: ATR
    var volumeMean: SMA
    var volumeDeviation: STDDEV
    var ema12: EMA
    var ema26: EMA
    var ema50: EMA
    var returnDeviation: STDDEV
    /// Candles seen, counted up to `warmUp`.
    public private(set) var seen = 0
    /// The latest feature vector; NaN everywhere during the warm-up.
    public private(set) var values: [Double]

    public init() {
        // Fixed, valid parameters: these initialisers cannot fail.
        rsi = try! RSI(period: 14)
        macd = try! MACD(fast: 12, slow: 26, signal: 9)
        bands = try! BBANDS(period: 20, nbdev: 2)
        atr = try! ATR(period: 14)
        volumeMean = try! SMA(period: 20)
        volumeDeviation = try! STDDEV(period: 20, nbdev: 1)
        ema12 = try! EMA(period: 12)
        ema26 = try! EMA(period: 26)
        ema50 = try! EMA(period: 50)
        returnDeviation = try! STDDEV(period: 20, nbdev: 1)
        values = [Double](repeating: .nan, count: Self.names.count)
    }

    /// True once the vector is complete (after `warmUp` candles).
    public var isReady: Bool { seen >= Self.warmUp }

    /// Feeds one closed candle and, when given, the order-book imbalance
    /// `(bid size − ask size) / (bid size + ask size)` in −1...1 at its close.
    ///
    /// Returns true once ``values`` holds a complete vector. A candle with a NaN or infinite
    /// field is refused with an error naming the field, and the state is left unchanged.
    @discardableResult
    public mutating func update(_ candle: Candle, bookImbalance: Double? = nil) throws(IndicatorError) -> Bool {
        try candle.validate()
        let close = candle.close
        let previous = closes.count > 0 ? closes[age: 0] : Double.nan
        closes.push(close)
        let ret1 = Self.logReturn(close, previous)
        let rsiValue = try rsi.update(close)
        let macdValue = try macd.update(close)
        let band = try bands.update(close)
        let atrValue = try atr.update(high: candle.high, low: candle.low, close: close)
        let volumeAverage = try volumeMean.update(candle.volume)
        let volumeSpread = try volumeDeviation.update(candle.volume)
        let e12 = try ema12.update(close)
        let e26 = try ema26.update(close)
        let e50 = try ema50.update(close)
        if ret1.isFinite { _ = try returnDeviation.update(ret1) }
        if seen < Self.warmUp { seen += 1 }
        guard seen >= Self.warmUp else { return false }

        values.withUnsafeMutableBufferPointer { v in
            for (i, h) in Self.returnHorizons.enumerated() {
                v[i] = closes.count > h ? Self.logReturn(close, closes[age: h]) : .nan
            }
            v[5] = rsiValue.map { $0 / 100 - 0.5 } ?? .nan
            v[6] = Self.finite((macdValue?.hist ?? .nan) / close)
            if let band {
                let width = band.upper - band.lower
                v[7] = width > 0 ? (close - band.lower) / width : 0.5
                v[8] = Self.finite(width / band.middle)
            } else {
                v[7] = .nan
                v[8] = .nan
            }
            v[9] = Self.finite((atrValue ?? .nan) / close)
            if let volumeAverage, let volumeSpread {
                v[10] = volumeSpread > 0 ? (candle.volume - volumeAverage) / volumeSpread : 0
            } else {
                v[10] = .nan
            }
            v[11] = Self.finite(close / (e12 ?? .nan) - 1)
            v[12] = Self.finite(close / (e26 ?? .nan) - 1)
            v[13] = Self.finite(close / (e50 ?? .nan) - 1)
            v[14] = Self.finite((candle.high - candle.low) / close)
            v[15] = Self.finite((close - candle.open) / close)
            v[16] = returnDeviation.value
            v[17] = bookImbalance.map { $0.isFinite ? min(1, max(-1, $0)) : .nan } ?? .nan
        }
        return true
    }

    /// Calls `body` with the latest vector without copying it.
    public func withValues<R>(_ body: (UnsafeBufferPointer<Double>) throws -> R) rethrows -> R {
        try values.withUnsafeBufferPointer(body)
    }

    /// `log(a / b)`, or NaN when it is not a finite number (a zero or missing price).
    @inline(__always) static func logReturn(_ a: Double, _ b: Double) -> Double {
        finite(Foundation.log(a / b))
    }

    @inline(__always) static func finite(_ x: Double) -> Double { x.isFinite ? x : .nan }
}
