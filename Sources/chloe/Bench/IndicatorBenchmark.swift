import Indicators

/// Times every built-in indicator over one candle series.
struct IndicatorBenchmark {
    /// One indicator's figures, in nanoseconds per candle.
    struct Result {
        let name: String
        /// Typed streaming update on the concrete type.
        let streaming: Double
        /// Streaming update through the run-time `CandleIndicator` existential.
        let catalog: Double
        /// The batch function, per element.
        let batch: Double
    }

    let series: [Candle]
    let rounds: Int

    func run() throws -> [Result] {
        let inputs = Inputs(series)
        return try cases(inputs).map { c in
            Result(name: c.name,
                   streaming: try c.streaming(self),
                   catalog: try catalog(c.name),
                   batch: try Stopwatch.best(rounds: rounds) { try c.batch() } / Double(series.count))
        }
    }

    /// The series as columns, for the batch functions.
    private struct Inputs {
        let time: [Int64], high: [Double], low: [Double], close: [Double], volume: [Double]

        init(_ series: [Candle]) {
            time = series.map(\.time)
            high = series.map(\.high)
            low = series.map(\.low)
            close = series.map(\.close)
            volume = series.map(\.volume)
        }
    }

    /// One benchmarked indicator at its standard parameters.
    private struct Case {
        let name: String
        let streaming: (IndicatorBenchmark) throws -> Double
        let batch: () throws -> Void

        /// `make` runs with its concrete type known, so `measure` is specialized for it.
        init<I: CandleIndicator>(_ name: String, _ make: @escaping () throws -> I, batch: @escaping () throws -> Void) {
            self.name = name
            streaming = { bench in try bench.measure(make()) }
            self.batch = batch
        }
    }

    private func cases(_ x: Inputs) -> [Case] {
        [
            Case("sma", { try SMA() }, batch: { blackHole(try SMA.batch(x.close)) }),
            Case("ema", { try EMA() }, batch: { blackHole(try EMA.batch(x.close, period: 20)) }),
            Case("wma", { try WMA() }, batch: { blackHole(try WMA.batch(x.close, period: 20)) }),
            Case("dema", { try DEMA() }, batch: { blackHole(try DEMA.batch(x.close, period: 20)) }),
            Case("tema", { try TEMA() }, batch: { blackHole(try TEMA.batch(x.close, period: 20)) }),
            Case("rsi", { try RSI() }, batch: { blackHole(try RSI.batch(x.close, period: 14)) }),
            Case("macd", { try MACD() }, batch: { blackHole(try MACD.batch(x.close, fast: 12, slow: 26, signal: 9)) }),
            Case("bbands", { try BBANDS() }, batch: { blackHole(try BBANDS.batch(x.close, period: 20, nbdev: 2)) }),
            Case("stddev", { try STDDEV() }, batch: { blackHole(try STDDEV.batch(x.close, period: 20, nbdev: 1)) }),
            Case("roc", { try ROC() }, batch: { blackHole(try ROC.batch(x.close, period: 10)) }),
            Case("mom", { try MOM() }, batch: { blackHole(try MOM.batch(x.close, period: 10)) }),
            Case("stochrsi", { try STOCHRSI() }, batch: { blackHole(try STOCHRSI.batch(x.close, period: 14, fastK: 5, fastD: 3)) }),
            Case("linearreg_slope", { try LINEARREG_SLOPE() }, batch: { blackHole(try LINEARREG_SLOPE.batch(x.close, period: 14)) }),
            Case("trange", { TrueRange() }, batch: { blackHole(try TrueRange.batch(high: x.high, low: x.low, close: x.close)) }),
            Case("atr", { try ATR() }, batch: { blackHole(try ATR.batch(high: x.high, low: x.low, close: x.close, period: 14)) }),
            Case("natr", { try NATR() }, batch: { blackHole(try NATR.batch(high: x.high, low: x.low, close: x.close, period: 14)) }),
            Case("stoch", { try Stochastic() }, batch: { blackHole(try Stochastic.batch(high: x.high, low: x.low, close: x.close, fastK: 14, slowK: 3, slowD: 3)) }),
            Case("adx", { try ADX() }, batch: { blackHole(try ADX.batch(high: x.high, low: x.low, close: x.close, period: 14)) }),
            Case("plus_di", { try PlusDI() }, batch: { blackHole(try PlusDI.batch(high: x.high, low: x.low, close: x.close, period: 14)) }),
            Case("minus_di", { try MinusDI() }, batch: { blackHole(try MinusDI.batch(high: x.high, low: x.low, close: x.close, period: 14)) }),
            Case("cci", { try CCI() }, batch: { blackHole(try CCI.batch(high: x.high, low: x.low, close: x.close, period: 14)) }),
            Case("willr", { try WilliamsR() }, batch: { blackHole(try WilliamsR.batch(high: x.high, low: x.low, close: x.close, period: 14)) }),
            Case("mfi", { try MFI() }, batch: { blackHole(try MFI.batch(high: x.high, low: x.low, close: x.close, volume: x.volume, period: 14)) }),
            Case("obv", { OBV() }, batch: { blackHole(try OBV.batch(close: x.close, volume: x.volume)) }),
            Case("sar", { try ParabolicSAR() }, batch: { blackHole(try ParabolicSAR.batch(high: x.high, low: x.low, acceleration: 0.02, maximum: 0.2)) }),
            Case("aroon", { try Aroon() }, batch: { blackHole(try Aroon.batch(high: x.high, low: x.low, period: 14)) }),
            Case("donchian", { try Donchian() }, batch: { blackHole(try Donchian.batch(high: x.high, low: x.low, period: 20)) }),
            Case("keltner", { try Keltner() }, batch: { blackHole(try Keltner.batch(high: x.high, low: x.low, close: x.close, period: 20, multiplier: 2, atrPeriod: 10)) }),
            Case("vwap", { try VWAP() }, batch: { blackHole(try VWAP.batch(time: x.time, high: x.high, low: x.low, close: x.close, volume: x.volume, window: 0)) }),
        ]
    }

    fileprivate func measure<I: CandleIndicator>(_ prototype: I) throws -> Double {
        try Stopwatch.best(rounds: rounds) {
            var indicator = prototype
            var sum = 0.0
            for candle in series where try indicator.update(candle) {
                sum += indicator.value(0)
            }
            blackHole(sum)
        } / Double(series.count)
    }

    private func catalog(_ name: String) throws -> Double {
        let spec = try IndicatorSpec(parsing: name)
        return try Stopwatch.best(rounds: rounds) {
            var indicator = try spec.makeIndicator()
            var sum = 0.0
            for candle in series where try indicator.update(candle) {
                sum += indicator.value(0)
            }
            blackHole(sum)
        } / Double(series.count)
    }
}
