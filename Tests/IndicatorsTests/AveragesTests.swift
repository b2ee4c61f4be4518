import Indicators
import Testing

// Unit tests of the averages and close-based oscillators (EMA ... LINEARREG_SLOPE):
// hand-checked values, lookback, parameter ranges, refusal of non-finite input, batch ==
// streaming, catalog wiring, and a few TA-Lib 0.8 values pinned bit for bit. Full parity
// over the real candle files lives in the catalog-driven parity suite.

// MARK: - Helpers

/// The typed streaming face shared by the indicators under test.
protocol AverageUnderTest {
    associatedtype Output: Equatable
    var lookback: Int { get }
    mutating func update(_ x: Double) throws(IndicatorError) -> Output?
}

extension EMA: AverageUnderTest {}
extension WMA: AverageUnderTest {}
extension DEMA: AverageUnderTest {}
extension TEMA: AverageUnderTest {}
extension RSI: AverageUnderTest {}
extension MACD: AverageUnderTest {}
extension BBANDS: AverageUnderTest {}
extension STDDEV: AverageUnderTest {}
extension ROC: AverageUnderTest {}
extension MOM: AverageUnderTest {}
extension STOCHRSI: AverageUnderTest {}
extension LINEARREG_SLOPE: AverageUnderTest {}

/// A deterministic, bumpy, signed series (a linear congruential walk), long enough to cross
/// the periodic re-anchoring of WMA, VAR and LINEARREG_SLOPE at small periods.
func averagesSeries(_ count: Int = 1_000, scale: Double = 1) -> [Double] {
    var state: UInt64 = 0x2545_F491_4F6C_DD1D
    var level = 100.0
    var out: [Double] = []
    out.reserveCapacity(count)
    for i in 0..<count {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let step = Double(Int64(bitPattern: state >> 11) % 2001 - 1000) / 1000.0
        level += step
        // A flat stretch and an outlier exercise the zero and re-anchor paths.
        let value = (400..<430).contains(i) ? 100.0 : (i == 600 ? level * 40 : level)
        out.append(value * scale)
    }
    return out
}

/// Every output of a streaming run, nil during the warm-up.
func run<T: AverageUnderTest>(_ indicator: T, _ series: [Double]) throws -> [T.Output?] {
    var indicator = indicator
    var out: [T.Output?] = []
    for x in series { out.append(try indicator.update(x)) }
    return out
}

/// Checks that the first value comes exactly after `lookback` inputs.
func checkLookback<T: AverageUnderTest>(_ indicator: T, expected: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(indicator.lookback == expected, sourceLocation: sourceLocation)
    let outputs = try run(indicator, averagesSeries(expected + 5))
    #expect(outputs.firstIndex { $0 != nil } == expected, sourceLocation: sourceLocation)
    #expect(outputs[expected...].allSatisfy { $0 != nil }, sourceLocation: sourceLocation)
}

/// Checks that NaN and ±infinity are refused mid-stream and leave the state as it was: the
/// run continues exactly as one that never saw them.
func checkRejectsNonFinite<T: AverageUnderTest>(_ indicator: T, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let series = averagesSeries(300)
    var interrupted = indicator
    var clean = indicator
    for (i, x) in series.enumerated() {
        if i == 5 || i == 150 {  // once during the warm-up (for most), once after
            for bad in [Double.nan, .infinity, -.infinity] {
                do {
                    _ = try interrupted.update(bad)
                    Issue.record("accepted \(bad)", sourceLocation: sourceLocation)
                } catch {
                    #expect(error.description.hasPrefix("input value is"), sourceLocation: sourceLocation)
                }
            }
        }
        let a = try interrupted.update(x)
        let b = try clean.update(x)
        #expect(a == b, "diverged at \(i)", sourceLocation: sourceLocation)
        if a != b { return }
    }
}

/// Compares a batch column with a streaming run, NaN where streaming gave nil.
func checkBatch<Output>(
    _ batch: [Double], _ streamed: [Output?], _ pick: (Output) -> Double,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(batch.count == streamed.count, sourceLocation: sourceLocation)
    for (i, (b, s)) in zip(batch, streamed).enumerated() {
        if let s {
            if pick(s).bitPattern != b.bitPattern {
                Issue.record("batch differs at \(i): \(b) vs \(pick(s))", sourceLocation: sourceLocation)
                return
            }
        } else if !b.isNaN {
            Issue.record("batch has \(b) at \(i) during the warm-up", sourceLocation: sourceLocation)
            return
        }
    }
}

// MARK: - EMA

@Test func emaHandChecked() throws {
    // k = 2/(3+1) = 0.5; seed = mean(1, 2, 3) = 2; then 2 + (4-2)/2 = 3, 3 + (5-3)/2 = 4.
    #expect(try run(EMA(period: 3), [1, 2, 3, 4, 5]) == [nil, nil, 2, 3, 4])
    // Period 1 copies the input, -0.0 included.
    let copied = try run(EMA(period: 1), [3, -0.0, 7.25])
    #expect(copied.map { $0?.bitPattern } == [3.0, -0.0, 7.25].map(\.bitPattern))
}

@Test func emaContract() throws {
    try checkLookback(EMA(), expected: 19)
    try checkLookback(EMA(period: 1), expected: 0)
    #expect(throws: IndicatorError.self) { try EMA(period: 0) }
    #expect(throws: IndicatorError.self) { try EMA(period: 100_001) }
    try checkRejectsNonFinite(EMA(period: 7))
    let series = averagesSeries()
    checkBatch(try EMA.batch(series, period: 7), try run(EMA(period: 7), series)) { $0 }
}

// MARK: - WMA

@Test func wmaHandChecked() throws {
    // (1·1 + 2·2 + 3·3) / 6 and (2·1 + 3·2 + 4·3) / 6.
    #expect(try run(WMA(period: 3), [1, 2, 3, 4]) == [nil, nil, 14.0 / 6.0, 20.0 / 6.0])
    #expect(try run(WMA(period: 1), [5, 6]) == [5, 6])
}

@Test func wmaContract() throws {
    try checkLookback(WMA(), expected: 19)
    #expect(throws: IndicatorError.self) { try WMA(period: 0) }
    #expect(throws: IndicatorError.self) { try WMA(period: 100_001) }
    try checkRejectsNonFinite(WMA(period: 5))
    let series = averagesSeries()
    checkBatch(try WMA.batch(series, period: 5), try run(WMA(period: 5), series)) { $0 }
}

// MARK: - DEMA / TEMA

@Test func demaTemaHandChecked() throws {
    // On a straight line both reproduce the line once warm (k = 0.5 keeps it exact):
    // EMA1 lags by 1, EMA2 (seeded by the mean of its first 3 inputs) by 2, EMA3 by 3.
    let line = (1...10).map(Double.init)
    let dema = try run(DEMA(period: 3), line)
    #expect(dema[..<4].allSatisfy { $0 == nil })
    #expect(dema[4...].map { $0! } == Array(line[4...]))
    let tema = try run(TEMA(period: 3), line)
    #expect(tema[..<6].allSatisfy { $0 == nil })
    #expect(tema[6...].map { $0! } == Array(line[6...]))
    // Period 1 copies, as TA-Lib (2x - x would turn -0.0 into +0.0).
    #expect(try run(DEMA(period: 1), [-0.0])[0]?.bitPattern == (-0.0).bitPattern)
    #expect(try run(TEMA(period: 1), [-0.0])[0]?.bitPattern == (-0.0).bitPattern)
}

@Test func demaTemaContract() throws {
    try checkLookback(DEMA(), expected: 38)
    try checkLookback(TEMA(), expected: 57)
    try checkLookback(DEMA(period: 1), expected: 0)
    #expect(throws: IndicatorError.self) { try DEMA(period: 0) }
    #expect(throws: IndicatorError.self) { try TEMA(period: 100_001) }
    try checkRejectsNonFinite(DEMA(period: 4))
    try checkRejectsNonFinite(TEMA(period: 4))
    let series = averagesSeries()
    checkBatch(try DEMA.batch(series, period: 4), try run(DEMA(period: 4), series)) { $0 }
    checkBatch(try TEMA.batch(series, period: 4), try run(TEMA(period: 4), series)) { $0 }
}

// MARK: - RSI

@Test func rsiHandChecked() throws {
    // Changes +1, -1: mean gain 0.5, mean loss 0.5 -> 50. Then +1:
    // gain (0.5·1 + 1)/2 = 0.75, loss (0.5·1 + 0)/2 = 0.25 -> 75.
    #expect(try run(RSI(period: 2), [1, 2, 1, 2]) == [nil, nil, 50, 75])
    // A flat series has neither gain nor loss: TA-Lib 0.8.x answers 0.
    #expect(try run(RSI(period: 3), [4, 4, 4, 4, 4]) == [nil, nil, nil, 0, 0])
    // Only gains -> 100, however small the quote.
    #expect(try run(RSI(period: 2), [1e-9, 2e-9, 3e-9]).last! == 100)
}

@Test func rsiContract() throws {
    try checkLookback(RSI(), expected: 14)
    #expect(throws: IndicatorError.self) { try RSI(period: 1) }
    #expect(throws: IndicatorError.self) { try RSI(period: 100_001) }
    try checkRejectsNonFinite(RSI(period: 6))
    let series = averagesSeries()
    checkBatch(try RSI.batch(series, period: 6), try run(RSI(period: 6), series)) { $0 }
}

// MARK: - MACD

@Test func macdHandChecked() throws {
    // fast 3 (k 0.5) and slow 7 (k 0.25) on a line: seeds mean(5,6,7) = 6 and mean(1...7) = 4
    // sit at the EMAs' steady lags (1 and 3), so the line is 2 throughout, the signal too.
    let line = (1...12).map(Double.init)
    let out = try run(MACD(fast: 3, slow: 7, signal: 3), line)
    #expect(out[..<8].allSatisfy { $0 == nil })
    #expect(out[8...].allSatisfy { $0 == MACD.Value(macd: 2, signal: 2, hist: 0) })
    // TA-Lib swaps fast and slow when given in the wrong order.
    let series = averagesSeries(200)
    #expect(try run(MACD(fast: 26, slow: 12, signal: 9), series) == run(MACD(fast: 12, slow: 26, signal: 9), series))
    // A signal period of 1 makes the signal the line itself.
    let unsmoothed = try run(MACD(fast: 5, slow: 9, signal: 1), series)
    #expect(unsmoothed.compactMap { $0 }.allSatisfy { $0.signal == $0.macd && $0.hist == 0 })
}

@Test func macdContract() throws {
    try checkLookback(MACD(), expected: 33)
    try checkLookback(MACD(fast: 12, slow: 26, signal: 1), expected: 25)
    #expect(throws: IndicatorError.self) { try MACD(fast: 1) }
    #expect(throws: IndicatorError.self) { try MACD(slow: 100_001) }
    #expect(throws: IndicatorError.self) { try MACD(signal: 0) }
    try checkRejectsNonFinite(MACD(fast: 3, slow: 8, signal: 4))
    let series = averagesSeries()
    let batch = try MACD.batch(series, fast: 3, slow: 8, signal: 4)
    let streamed = try run(MACD(fast: 3, slow: 8, signal: 4), series)
    checkBatch(batch.macd, streamed) { $0.macd }
    checkBatch(batch.signal, streamed) { $0.signal }
    checkBatch(batch.hist, streamed) { $0.hist }
}

// MARK: - BBANDS / STDDEV

@Test func bbandsStddevHandChecked() throws {
    // Windows {1, 3} and {3, 5}: mean 2 and 4, population deviation 1.
    #expect(try run(BBANDS(period: 2, nbdev: 2), [1, 3, 5]) == [
        nil, BBANDS.Value(upper: 4, middle: 2, lower: 0), BBANDS.Value(upper: 6, middle: 4, lower: 2),
    ])
    #expect(try run(STDDEV(period: 2, nbdev: 1.5), [1, 3, 5]) == [nil, 1.5, 1.5])
    // A flat window has exactly zero width.
    #expect(try run(STDDEV(period: 3), [0.1, 0.1, 0.1, 0.1]) == [nil, nil, 0, 0])
    // Tiny quotes keep their (tiny) deviation: no fixed epsilon cut-off as in TA-Lib 0.6.
    let tiny = try run(STDDEV(period: 2), [3e-5, 3.0001e-5]).last!!
    #expect(abs(tiny - 5e-10) < 1e-20)
    let band = try run(BBANDS(period: 2, nbdev: 2), [3e-5, 3.0001e-5]).last!!
    #expect(band.upper > band.middle && band.middle > band.lower)
    // A negative nbdev flips the bands, as TA-Lib allows.
    #expect(try run(BBANDS(period: 2, nbdev: -1), [1, 3]).last!! == BBANDS.Value(upper: 1, middle: 2, lower: 3))
}

@Test func bbandsStddevContract() throws {
    try checkLookback(BBANDS(), expected: 19)
    try checkLookback(STDDEV(), expected: 19)
    #expect(throws: IndicatorError.self) { try BBANDS(period: 1) }
    #expect(throws: IndicatorError.self) { try BBANDS(nbdev: 4e37) }
    #expect(throws: IndicatorError.self) { try BBANDS(nbdev: .nan) }
    #expect(throws: IndicatorError.self) { try STDDEV(period: 100_001) }
    #expect(throws: IndicatorError.self) { try STDDEV(nbdev: -.infinity) }
    try checkRejectsNonFinite(BBANDS(period: 5, nbdev: 2))
    try checkRejectsNonFinite(STDDEV(period: 5, nbdev: 0.5))
    let series = averagesSeries()
    let batch = try BBANDS.batch(series, period: 5, nbdev: 1.5)
    let streamed = try run(BBANDS(period: 5, nbdev: 1.5), series)
    checkBatch(batch.upper, streamed) { $0.upper }
    checkBatch(batch.middle, streamed) { $0.middle }
    checkBatch(batch.lower, streamed) { $0.lower }
    checkBatch(try STDDEV.batch(series, period: 5, nbdev: 0.5), try run(STDDEV(period: 5, nbdev: 0.5), series)) { $0 }
}

// MARK: - ROC / MOM

@Test func rocMomHandChecked() throws {
    // (150/100 - 1)·100 = 50, (2/1 - 1)·100 = 100; an earlier value of 0 gives 0, as TA-Lib.
    #expect(try run(ROC(period: 2), [100, 1, 150, 2, 0, 5, 7]) == [nil, nil, 50, 100, -100, 150, 0])
    #expect(try run(MOM(period: 2), [1, 4, 9, 16]) == [nil, nil, 8, 12])
}

@Test func rocMomContract() throws {
    try checkLookback(ROC(), expected: 10)
    try checkLookback(MOM(), expected: 10)
    try checkLookback(MOM(period: 1), expected: 1)
    #expect(throws: IndicatorError.self) { try ROC(period: 0) }
    #expect(throws: IndicatorError.self) { try MOM(period: 100_001) }
    try checkRejectsNonFinite(ROC(period: 3))
    try checkRejectsNonFinite(MOM(period: 3))
    let series = averagesSeries()
    checkBatch(try ROC.batch(series, period: 3), try run(ROC(period: 3), series)) { $0 }
    checkBatch(try MOM.batch(series, period: 3), try run(MOM(period: 3), series)) { $0 }
}

// MARK: - STOCHRSI

@Test func stochRSIHandChecked() throws {
    // RSI(2) of [1, 2, 1, 2, 1, 3] is -, -, 50, 75, 37.5, 79.1666...
    // k over 2 RSI values: 100 (75 is the top of {50, 75}), 0, 100; d = mean of 2 k.
    let out = try run(STOCHRSI(period: 2, fastK: 2, fastD: 2), [1, 2, 1, 2, 1, 3])
    #expect(out == [nil, nil, nil, nil, STOCHRSI.Value(k: 0, d: 50), STOCHRSI.Value(k: 100, d: 50)])
    // A flat RSI range gives k = 0 (TA-Lib's flat rule), not a division by zero.
    let flat = try run(STOCHRSI(period: 2, fastK: 3, fastD: 1), [1, 2, 3, 4, 5, 6])
    #expect(flat.compactMap { $0 } == [STOCHRSI.Value(k: 0, d: 0), STOCHRSI.Value(k: 0, d: 0)])
}

@Test func stochRSIContract() throws {
    try checkLookback(STOCHRSI(), expected: 20)
    try checkLookback(STOCHRSI(period: 14, fastK: 1, fastD: 1), expected: 14)
    #expect(throws: IndicatorError.self) { try STOCHRSI(period: 1) }
    #expect(throws: IndicatorError.self) { try STOCHRSI(fastK: 0) }
    #expect(throws: IndicatorError.self) { try STOCHRSI(fastD: 100_001) }
    try checkRejectsNonFinite(STOCHRSI(period: 5, fastK: 4, fastD: 3))
    let series = averagesSeries()
    let batch = try STOCHRSI.batch(series, period: 5, fastK: 4, fastD: 3)
    let streamed = try run(STOCHRSI(period: 5, fastK: 4, fastD: 3), series)
    checkBatch(batch.k, streamed) { $0.k }
    checkBatch(batch.d, streamed) { $0.d }
}

// MARK: - LINEARREG_SLOPE

@Test func slopeHandChecked() throws {
    // Slope through (0,1), (1,2), (2,3) is 1; through (0,2), (1,3), (2,5) it is 1.5.
    #expect(try run(LINEARREG_SLOPE(period: 3), [1, 2, 3, 5]) == [nil, nil, 1, 1.5])
    #expect(try run(LINEARREG_SLOPE(period: 4), [7, 7, 7, 7, 7]) == [nil, nil, nil, 0, 0])
}

@Test func slopeContract() throws {
    try checkLookback(LINEARREG_SLOPE(), expected: 13)
    #expect(throws: IndicatorError.self) { try LINEARREG_SLOPE(period: 1) }
    #expect(throws: IndicatorError.self) { try LINEARREG_SLOPE(period: 100_001) }
    try checkRejectsNonFinite(LINEARREG_SLOPE(period: 5))
    let series = averagesSeries()
    checkBatch(try LINEARREG_SLOPE.batch(series, period: 5), try run(LINEARREG_SLOPE(period: 5), series)) { $0 }
}

// MARK: - TA-Lib 0.8 values, pinned

/// Values TA-Lib 0.8.1 (Python talib 0.8.2) gives at the last of 120 inputs; Chloe must
/// match them bit for bit. `tiny` is a ~3e-5 quote (the BTC pairs' scale), `signed` a
/// zero-crossing series that makes the MACD signal's fused multiply-add visible.
@Test(arguments: ["tiny", "signed"])
func pinnedTALibValues(_ name: String) throws {
    let tiny = (0..<120).map { Double(($0 * 37) % 101) * 1e-7 + 3e-5 }
    let signed = (0..<120).map { (Double(($0 * 53) % 97) - 48.0) * 0.01 }
    let s = name == "tiny" ? tiny : signed
    let last = s.count - 1
    // [ema10, wma10, dema10, tema10, rsi14, macd, signal, hist, upper, middle, lower,
    //  stddev20x1.5, roc10, mom10, k, d, slope14]
    let expected: [Double] = name == "tiny"
        ? [3.4918070098406734e-05, 3.481636363636357e-05, 3.505935024163011e-05, 3.519249041389901e-05,
           50.94971010561229, 4.2962857505827426e-08, -3.166574632260353e-08, 7.462860382843095e-08,
           4.037473637350624e-05, 3.4685e-05, 2.8995263626493752e-05, 4.2673022801296846e-06,
           -8.629441624365485, -3.4000000000000013e-06, 62.5867729489912, 58.1986945401136, -7.362637362609869e-08]
        : [-0.04271461378021595, -0.021818181818181837, -0.07573604122333408, -0.11986052832347742,
           46.48073660108713, -0.013732531639760893, 0.0016194229032552188, -0.015351954543016112,
           0.5459810433904072, -0.01449999999999998, -0.5749810433904071, 0.4203607825428054,
           -866.6666666666667, -0.52, 0.0, 41.10240108125623, -0.0029670329670330314]
    let macd = try MACD.batch(s)
    let bands = try BBANDS.batch(s)
    let stoch = try STOCHRSI.batch(s)
    let got: [Double] = [
        try EMA.batch(s, period: 10)[last], try WMA.batch(s, period: 10)[last],
        try DEMA.batch(s, period: 10)[last], try TEMA.batch(s, period: 10)[last],
        try RSI.batch(s)[last], macd.macd[last], macd.signal[last], macd.hist[last],
        bands.upper[last], bands.middle[last], bands.lower[last], try STDDEV.batch(s, nbdev: 1.5)[last],
        try ROC.batch(s)[last], try MOM.batch(s)[last], stoch.k[last], stoch.d[last],
        try LINEARREG_SLOPE.batch(s)[last],
    ]
    for (i, (g, e)) in zip(got, expected).enumerated() {
        #expect(g.bitPattern == e.bitPattern, "entry \(i): \(g) vs TA-Lib \(e)")
    }
}

// MARK: - Catalog

@Test func catalogAverages() throws {
    let expected: [(name: String, params: [String], defaults: [Double], outputs: [String])] = [
        ("sma", ["period"], [20], [""]),
        ("ema", ["period"], [20], [""]),
        ("wma", ["period"], [20], [""]),
        ("dema", ["period"], [20], [""]),
        ("tema", ["period"], [20], [""]),
        ("rsi", ["period"], [14], [""]),
        ("macd", ["fast", "slow", "signal"], [12, 26, 9], ["", "signal", "hist"]),
        ("bbands", ["period", "nbdev"], [20, 2], ["upper", "middle", "lower"]),
        ("stddev", ["period", "nbdev"], [20, 1], [""]),
        ("roc", ["period"], [10], [""]),
        ("mom", ["period"], [10], [""]),
        ("stochrsi", ["period", "fastk", "fastd"], [14, 5, 3], ["k", "d"]),
        ("linearreg_slope", ["period"], [14], [""]),
    ]
    let names = IndicatorCatalog.all.map(\.name)
    let positions = expected.map { names.firstIndex(of: $0.name) }
    #expect(positions.allSatisfy { $0 != nil }, "missing from the catalog")
    #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "documentation order")
    for entry in expected {
        let definition = try #require(IndicatorCatalog.definition(named: entry.name))
        #expect(definition.parameters.map(\.name) == entry.params, "\(entry.name)")
        #expect(definition.parameters.map(\.defaultValue) == entry.defaults, "\(entry.name)")
        #expect(definition.outputs == entry.outputs, "\(entry.name)")
        #expect(definition.matchesTALib)
        let indicator = try IndicatorSpec(parsing: entry.name).makeIndicator()
        #expect(indicator.outputNames == entry.outputs)
    }
    // nbdev takes fractions; periods do not.
    #expect(try IndicatorSpec(parsing: "bbands:20:1.5").values == [20, 1.5])
    #expect(throws: IndicatorError.self) { try IndicatorSpec(parsing: "ema:2.5") }
    // A huge whole number is refused by the range check instead of trapping on Int conversion.
    #expect(throws: IndicatorError.self) { try IndicatorSpec(parsing: "ema:1e30").makeIndicator() }
    #expect(throws: IndicatorError.self) { try IndicatorSpec(parsing: "macd:12:-1e30:9").makeIndicator() }
}

@Test func catalogInstancesMatchTypedAPI() throws {
    let series = averagesSeries(200)
    let candles = series.enumerated().map { i, x in
        Candle(time: Int64(i) * 60_000, open: x, high: x, low: x, close: x, volume: 1)
    }
    var viaCatalog = try IndicatorSpec(parsing: "macd:4:9:3").makeIndicator()
    var typed = try MACD(fast: 4, slow: 9, signal: 3)
    #expect(viaCatalog.lookback == typed.lookback)
    for candle in candles {
        let ready = try viaCatalog.update(candle)
        let value = try typed.update(candle.close)
        #expect(ready == (value != nil))
        if let value {
            #expect(viaCatalog.value(0) == value.macd && viaCatalog.value(1) == value.signal && viaCatalog.value(2) == value.hist)
        } else {
            #expect(viaCatalog.value(0).isNaN && viaCatalog.value(2).isNaN)
        }
    }
    var stoch = try IndicatorSpec(parsing: "stochrsi:5:4:3").makeIndicator()
    var typedStoch = try STOCHRSI(period: 5, fastK: 4, fastD: 3)
    for candle in candles {
        _ = try stoch.update(candle)
        if let v = try typedStoch.update(candle.close) {
            #expect(stoch.value(0) == v.k && stoch.value(1) == v.d)
        }
    }
    // A non-finite close is refused and changes nothing.
    var bands = try IndicatorSpec(parsing: "bbands:5:2").makeIndicator()
    for candle in candles.prefix(10) { _ = try bands.update(candle) }
    let before = (0..<3).map { bands.value($0) }
    var bad = candles[10]
    bad.close = .nan
    #expect(throws: IndicatorError.self) { try bands.update(bad) }
    #expect((0..<3).map { bands.value($0) } == before)
}
