/// Moving average convergence/divergence (TA-Lib `MACD`): the MACD line
/// `EMA(fast) − EMA(slow)`, its signal line `EMA(signal)` of the MACD line, and the
/// histogram `line − signal`.
///
/// Lookback `(slow − 1) + (signal − 1)`; nothing, not even the MACD line, is produced
/// before it. TA-Lib quirks reproduced: the periods are swapped when `slow < fast`; the fast
/// EMA is seeded with the simple average of the `fast` values that END where the slow
/// EMA's seed window ends, so both EMAs start on the same bar; each EMA step is TA-Lib
/// 0.8's fused `fma(x − ema, k, ema)`; a signal period of 1 makes the signal the line
/// itself (histogram exactly 0). Bit-identical to TA-Lib 0.8.
public struct MACD: Sendable {
    /// One MACD reading.
    public struct Value: Sendable, Equatable {
        public var macd: Double
        public var signal: Double
        public var hist: Double

        public init(macd: Double, signal: Double, hist: Double) {
            self.macd = macd
            self.signal = signal
            self.hist = hist
        }
    }

    /// The fast and slow periods after TA-Lib's swap (so `fast <= slow`).
    public let fast: Int
    public let slow: Int
    public let signal: Int
    var fastEMA: EMA
    var slowEMA: EMA
    var signalEMA: EMA
    /// Inputs seen, counted only until the fast EMA starts (at `slow − fast`).
    var seen = 0
    /// The latest reading; NaN fields during the warm-up.
    public private(set) var value = Value(macd: .nan, signal: .nan, hist: .nan)

    /// - Parameters:
    ///   - fast: 2...100000, as TA-Lib.
    ///   - slow: 2...100000; swapped with `fast` when smaller, as TA-Lib.
    ///   - signal: 1...100000, as TA-Lib.
    public init(fast: Int = 12, slow: Int = 26, signal: Int = 9) throws(IndicatorError) {
        guard (2...100_000).contains(fast) else {
            throw .invalidParameter(indicator: "macd", parameter: "fast", value: fast, reason: "must be 2...100000")
        }
        guard (2...100_000).contains(slow) else {
            throw .invalidParameter(indicator: "macd", parameter: "slow", value: slow, reason: "must be 2...100000")
        }
        guard (1...100_000).contains(signal) else {
            throw .invalidParameter(indicator: "macd", parameter: "signal", value: signal, reason: "must be 1...100000")
        }
        self.fast = min(fast, slow)
        self.slow = max(fast, slow)
        self.signal = signal
        fastEMA = try EMA(period: self.fast)
        slowEMA = try EMA(period: self.slow)
        signalEMA = try EMA(period: signal)
    }

    public var lookback: Int { (slow - 1) + (signal - 1) }

    /// Feeds one value; returns the reading once `lookback + 1` values are in, else nil.
    public mutating func update(_ x: Double) throws(IndicatorError) -> Value? {
        guard x.isFinite else { throw .nonFiniteInput(field: "value", value: x) }
        return step(x)
    }

    @inline(__always) mutating func step(_ x: Double) -> Value? {
        let slowValue = slowEMA.step(x)
        // The fast EMA joins `slow - fast` values late so its seed window ends with the slow one's.
        let fastValue: Double?
        if seen < slow - fast {
            seen += 1
            fastValue = nil
        } else {
            fastValue = fastEMA.step(x)
        }
        guard let f = fastValue, let s = slowValue else { return nil }
        let line = f - s
        guard let sig = signalEMA.step(line) else { return nil }
        value = Value(macd: line, signal: sig, hist: line - sig)
        return value
    }

    /// MACD over a whole series: three arrays, NaN for the first `lookback` entries.
    public static func batch(_ input: [Double], fast: Int = 12, slow: Int = 26, signal: Int = 9) throws(IndicatorError)
        -> (macd: [Double], signal: [Double], hist: [Double])
    {
        var macd = try MACD(fast: fast, slow: slow, signal: signal)
        return try input.withUnsafeBufferPointer { (x) throws(IndicatorError) in
            var check = BatchSupport.FiniteCheck()
            let result = BatchSupport.columns(x.count) { line, sig, hist in
                // The warm-up through `step` itself, up to the first reading; then its
                // recursion on locals.
                let start = BatchSupport.warmUp(line, sig, hist, count: macd.lookback)
                for i in 0..<min(start + 1, x.count) { check.add(x[i]) }
                guard start < x.count else { return }
                for i in 0...start {
                    let v = macd.step(x[i])
                    line[i] = v?.macd ?? .nan
                    sig[i] = v?.signal ?? .nan
                    hist[i] = v?.hist ?? .nan
                }
                var f = macd.fastEMA.value, s = macd.slowEMA.value, g = macd.signalEMA.value
                let kf = macd.fastEMA.k, ks = macd.slowEMA.k, kg = macd.signalEMA.k
                let signalIsLine = macd.signal == 1
                for i in start + 1 ..< x.count {
                    check.add(x[i])
                    let xi = x[i]
                    s = s.addingProduct(xi - s, ks)
                    f = f.addingProduct(xi - f, kf)
                    let l = f - s
                    g = signalIsLine ? l : g.addingProduct(l - g, kg)
                    line[i] = l
                    sig[i] = g
                    hist[i] = l - g
                }
            }
            if check.failed { try BatchSupport.requireFinite(x) }
            return result
        }
    }
}

extension MACD: CandleIndicator {
    public var outputNames: [String] { ["", "signal", "hist"] }

    public mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool {
        try update(candle.close) != nil
    }

    public func value(_ index: Int) -> Double {
        switch index {
        case 0: value.macd
        case 1: value.signal
        default: value.hist
        }
    }
}
