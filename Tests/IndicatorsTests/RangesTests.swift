import Indicators
import Testing

// Unit tests of the range, volatility and volume indicators (TRANGE ... VWAP): hand-checked
// values, lookback, parameter ranges, refusal of non-finite input without a change of state,
// batch == streaming, and the catalog wiring. Full TA-Lib parity over the real candle files
// lives in the catalog-driven parity suite.

// MARK: - Fixtures

enum RangesFixtures {
    /// A small hand-checkable series, as (high, low, close, volume).
    static let small: [(h: Double, l: Double, c: Double, v: Double)] = [
        (10, 8, 9, 100),
        (12, 9, 11, 200),
        (11, 7, 8, 300),
        (13, 8, 12, 400),
        (12, 10, 11, 500),
    ]

    static func candles(_ rows: [(h: Double, l: Double, c: Double, v: Double)], start: Int64 = 1_700_000_000_000) -> [Candle] {
        rows.enumerated().map { i, r in
            Candle(time: start + Int64(i) * 300_000, open: r.c, high: r.h, low: r.l, close: r.c, volume: r.v)
        }
    }

    /// A deterministic bumpy walk of `count` five-minute candles that crosses UTC midnights,
    /// with a flat stretch, repeated extremes and zero volumes.
    static func walk(_ count: Int = 800) -> [Candle] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var close = 100.0
        var out: [Candle] = []
        let start: Int64 = 1_704_067_200_000 - 50 * 300_000  // 50 candles before 2024-01-01 UTC
        for i in 0..<count {
            let open = close
            if (300..<340).contains(i) {
                close = 100  // flat: every price equal
                out.append(Candle(time: start + Int64(i) * 300_000, open: 100, high: 100, low: 100, close: 100, volume: 0))
                continue
            }
            close = (open + (next() - 0.5) * 2).rounded() // integer prices: many ties
            let high = max(open, close) + (next() < 0.5 ? 0 : 1)
            let low = min(open, close) - (next() < 0.5 ? 0 : 1)
            let volume = i % 17 == 0 ? 0 : (next() * 50).rounded()
            out.append(Candle(time: start + Int64(i) * 300_000, open: open, high: high, low: low, close: close, volume: volume))
        }
        return out
    }

    static func highs(_ c: [Candle]) -> [Double] { c.map(\.high) }
    static func lows(_ c: [Candle]) -> [Double] { c.map(\.low) }
    static func closes(_ c: [Candle]) -> [Double] { c.map(\.close) }
    static func volumes(_ c: [Candle]) -> [Double] { c.map(\.volume) }

    static func same(_ a: Double, _ b: Double) -> Bool {
        a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern
    }

    static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-12) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(b))
    }

    /// Streams `candles` through `indicator` via `CandleIndicator`, one column per output,
    /// NaN while `update` returns false.
    static func stream(_ indicator: some CandleIndicator, _ candles: [Candle]) throws -> [[Double]] {
        var indicator = indicator
        let n = indicator.outputNames.count
        var out = Array(repeating: [Double](repeating: .nan, count: candles.count), count: n)
        for (row, candle) in candles.enumerated() {
            guard try indicator.update(candle) else { continue }
            for k in 0..<n { out[k][row] = indicator.value(k) }
        }
        return out
    }

    /// Checks that the first value arrives exactly after `lookback` candles.
    static func expectLookback(_ indicator: some CandleIndicator, _ candles: [Candle], sourceLocation: SourceLocation = #_sourceLocation) throws {
        var indicator = indicator
        let lookback = indicator.lookback
        for (row, candle) in candles.enumerated() {
            let ready = try indicator.update(candle)
            #expect(ready == (row >= lookback), "row \(row), lookback \(lookback)", sourceLocation: sourceLocation)
            if !ready {
                for k in indicator.outputNames.indices {
                    #expect(indicator.value(k).isNaN, "value during the warm-up at row \(row)", sourceLocation: sourceLocation)
                }
            }
        }
    }

    /// Feeds `candles` to two instances; before every candle the first one is also offered
    /// each field of that candle replaced by NaN, +inf and -inf, which must throw and change
    /// nothing: both instances must stay bit-for-bit equal.
    static func expectRejectsNonFinite(_ make: () throws -> any CandleIndicator, _ candles: [Candle], sourceLocation: SourceLocation = #_sourceLocation) throws {
        var probed = try make()
        var clean = try make()
        for (row, candle) in candles.enumerated() {
            for bad in [Double.nan, .infinity, -.infinity] {
                for field in 0..<5 {
                    var c = candle
                    switch field {
                    case 0: c.open = bad
                    case 1: c.high = bad
                    case 2: c.low = bad
                    case 3: c.close = bad
                    default: c.volume = bad
                    }
                    #expect(throws: IndicatorError.self, "row \(row) field \(field) = \(bad)", sourceLocation: sourceLocation) {
                        _ = try probed.update(c)
                    }
                }
            }
            let a = try probed.update(candle)
            let b = try clean.update(candle)
            #expect(a == b, sourceLocation: sourceLocation)
            for k in probed.outputNames.indices where !same(probed.value(k), clean.value(k)) {
                Issue.record("row \(row) output \(k): \(probed.value(k)) after rejected input, \(clean.value(k)) without", sourceLocation: sourceLocation)
            }
        }
    }

    static func expectSameColumns(_ a: [[Double]], _ b: [[Double]], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.count == b.count, "\(what): \(a.count) vs \(b.count) outputs", sourceLocation: sourceLocation)
        for (k, (x, y)) in zip(a, b).enumerated() {
            #expect(x.count == y.count, sourceLocation: sourceLocation)
            if let row = x.indices.first(where: { !same(x[$0], y[$0]) }) {
                Issue.record("\(what) output \(k) row \(row): \(x[row]) vs \(y[row])", sourceLocation: sourceLocation)
            }
        }
    }

    static func expectInvalid(_ sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
        #expect(throws: IndicatorError.self, sourceLocation: sourceLocation) { try body() }
    }
}

// MARK: - Tests

@Suite struct RangesTests {
    typealias F = RangesFixtures

    // MARK: TRANGE, ATR, NATR

    @Test func trueRangeByHand() throws {
        var tr = TrueRange()
        #expect(tr.lookback == 1)
        let got = try F.small.map { try tr.update(high: $0.h, low: $0.l, close: $0.c) }
        // max(high - low, |prev close - high|, |prev close - low|)
        #expect(got == [nil, 3, 4, 5, 2])
    }

    @Test func atrByHand() throws {
        var atr = try ATR(period: 3)
        #expect(atr.lookback == 3)
        let got = try F.small.map { try atr.update(high: $0.h, low: $0.l, close: $0.c) }
        #expect(got[0] == nil && got[1] == nil && got[2] == nil)
        // Seed: mean of the first three true ranges (3, 4, 5); then Wilder: (4 * 2 + 2) / 3.
        #expect(got[3] == 4)
        #expect(F.close(try #require(got[4]), 10.0 / 3.0))
        // Period 1 is the plain true range.
        var one = try ATR(period: 1)
        #expect(one.lookback == 1)
        let plain = try F.small.map { try one.update(high: $0.h, low: $0.l, close: $0.c) }
        #expect(plain == [nil, 3, 4, 5, 2])
    }

    @Test func natrByHand() throws {
        var natr = try NATR(period: 3)
        #expect(natr.lookback == 3)
        let got = try F.small.map { try natr.update(high: $0.h, low: $0.l, close: $0.c) }
        #expect(F.close(try #require(got[3]), 4.0 / 12.0 * 100))
        #expect(F.close(try #require(got[4]), 10.0 / 3.0 / 11.0 * 100))
        // A zero close gives 0 (TA-Lib).
        var zero = try NATR(period: 2)
        for c in [(2.0, 1.0, 1.5), (2.5, 1.0, 2.0), (3.0, 1.0, 0.0)] { _ = try zero.update(high: c.0, low: c.1, close: c.2) }
        #expect(zero.value == 0)
        // Period 1 is the plain, unnormalized true range (a TA-Lib quirk kept on purpose).
        var one = try NATR(period: 1)
        let plain = try F.small.map { try one.update(high: $0.h, low: $0.l, close: $0.c) }
        #expect(plain == [nil, 3, 4, 5, 2])
    }

    // MARK: STOCH

    @Test func stochasticByHand() throws {
        let rows: [(h: Double, l: Double, c: Double, v: Double)] = [
            (10, 8, 9, 0), (11, 9, 10, 0), (12, 10, 11, 0), (12, 9, 9, 0), (10, 8, 10, 0), (11, 9, 11, 0),
        ]
        var stoch = try Stochastic(fastK: 3, slowK: 2, slowD: 2)
        #expect(stoch.lookback == 4)
        let got = try rows.map { try stoch.update(high: $0.h, low: $0.l, close: $0.c) }
        // Raw %K from index 2: 75, 0, 50, 75; %K = SMA2: 37.5, 25, 62.5; %D = SMA2 of %K: 31.25, 43.75.
        #expect(got[..<4].allSatisfy { $0 == nil })
        #expect(got[4] == Stochastic.Value(k: 25, d: 31.25))
        #expect(got[5] == Stochastic.Value(k: 62.5, d: 43.75))
        // A flat window gives 0.
        var flat = try Stochastic(fastK: 2, slowK: 1, slowD: 1)
        #expect(flat.lookback == 1)
        _ = try flat.update(high: 5, low: 5, close: 5)
        let flatValue = try flat.update(high: 5, low: 5, close: 5)
        #expect(flatValue == Stochastic.Value(k: 0, d: 0))
    }

    // MARK: ADX, PLUS_DI, MINUS_DI

    @Test func directionalMovementByHand() throws {
        // +DM1: 2, 0, 2, 0; -DM1: 0, 2, 0, 0; TR1: 3, 4, 5, 2. Period 2 sums the first one, then
        // X = X - X/2 + today: +DM 1, 2.5, 1.25; -DM 2, 1, 0.5; TR 5.5, 7.75, 5.875.
        var plus = try PlusDI(period: 2)
        var minus = try MinusDI(period: 2)
        var adx = try ADX(period: 2)
        #expect(plus.lookback == 2 && minus.lookback == 2 && adx.lookback == 3)
        var p: [Double?] = [], m: [Double?] = [], a: [Double?] = []
        for r in F.small {
            p.append(try plus.update(high: r.h, low: r.l, close: r.c))
            m.append(try minus.update(high: r.h, low: r.l, close: r.c))
            a.append(try adx.update(high: r.h, low: r.l, close: r.c))
        }
        #expect(p[0] == nil && p[1] == nil && m[1] == nil)
        #expect(F.close(try #require(p[2]), 100.0 / 5.5))
        #expect(F.close(try #require(m[2]), 200.0 / 5.5))
        #expect(F.close(try #require(p[3]), 250.0 / 7.75))
        #expect(F.close(try #require(m[3]), 100.0 / 7.75))
        #expect(F.close(try #require(p[4]), 125.0 / 5.875))
        #expect(F.close(try #require(m[4]), 50.0 / 5.875))
        // DX: 100/3, 300/7, 300/7; ADX = mean of the first two, then (ADX + DX) / 2.
        #expect(a[2] == nil)
        #expect(F.close(try #require(a[3]), (100.0 / 3 + 300.0 / 7) / 2))
        #expect(F.close(try #require(a[4]), ((100.0 / 3 + 300.0 / 7) / 2 + 300.0 / 7) / 2))
    }

    @Test func directionalIndicatorsPeriodOneHaveNoFactor100() throws {
        // TA-Lib quirk kept on purpose: period 1 is the bare ratio DM1 / TR1.
        var plus = try PlusDI(period: 1)
        var minus = try MinusDI(period: 1)
        #expect(plus.lookback == 1 && minus.lookback == 1)
        let p = try F.small.map { try plus.update(high: $0.h, low: $0.l, close: $0.c) }
        let m = try F.small.map { try minus.update(high: $0.h, low: $0.l, close: $0.c) }
        #expect(p == [nil, 2.0 / 3, 0, 2.0 / 5, 0])
        #expect(m == [nil, 0, 0.5, 0, 0])
    }

    @Test func directionalMovementOfFlatPricesIsZero() throws {
        let flat = F.candles(Array(repeating: (h: 5, l: 5, c: 5, v: 1), count: 10))
        let cases: [(String, any CandleIndicator)] = [("adx", try ADX(period: 3)), ("plus_di", try PlusDI(period: 3)), ("minus_di", try MinusDI(period: 3))]
        for (name, indicator) in cases {
            let out = try F.stream(indicator, flat)[0]
            #expect(out.drop(while: \.isNaN).allSatisfy { $0 == 0 }, "\(name): \(out)")
        }
    }

    // MARK: CCI, WILLR, MFI, OBV

    @Test func cciByHand() throws {
        var cci = try CCI(period: 3)
        #expect(cci.lookback == 2)
        let got = try F.small.map { try cci.update(high: $0.h, low: $0.l, close: $0.c) }
        // Typical prices 9, 32/3, 26/3: mean 85/9, mean absolute deviation 22/27.
        #expect(got[0] == nil && got[1] == nil)
        #expect(F.close(try #require(got[2]), (-7.0 / 9) / (0.015 * 22.0 / 27), 1e-9))
        // A flat window gives 0.
        var flat = try CCI(period: 2)
        _ = try flat.update(high: 3, low: 3, close: 3)
        let flatValue = try flat.update(high: 3, low: 3, close: 3)
        #expect(flatValue == 0)
    }

    /// CCI divides `tp - mean` by the mean deviation, so on windows that are nearly flat a
    /// mean one unit in the last place off TA-Lib's would move the value by a large fraction:
    /// the mean must be TA-Lib's sum of its circular buffer in slot order, bit for bit, at every
    /// slot the window wraps through. Checked against that algorithm written out plainly, on
    /// prices 1e-12 apart relative to their level (and exactly flat stretches, which give 0).
    @Test(arguments: [2, 3, 5, 14])
    func cciMeanIsTALibsOnNearlyFlatWindows(_ period: Int) throws {
        var state: UInt64 = 77
        let prices = (0..<(30 * period + 7)).map { i -> Double in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return i % 40 < 8 ? 1000 : 1000 + Double(state >> 58) * 1e-9
        }
        var cci = try CCI(period: period)
        var buffer = [Double](repeating: 0, count: period)
        for (i, p) in prices.enumerated() {
            let got = try cci.update(high: p + 2e-9, low: p - 1e-9, close: p)
            let typical = ((p + 2e-9) + (p - 1e-9) + p) / 3
            buffer[i % period] = typical
            guard i >= period - 1 else {
                #expect(got == nil)
                continue
            }
            var sum = 0.0
            for x in buffer { sum += x }
            let mean = sum / Double(period)
            var deviation = 0.0
            for x in buffer { deviation += abs(x - mean) }
            let flat = abs(typical - mean) <= 1e-14 * abs(mean) || deviation <= 1e-14 * (abs(mean) * Double(period))
            let expected = flat ? 0 : (typical - mean) / (0.015 * (deviation / Double(period)))
            let value = try #require(got)
            #expect(F.close(value, expected, 1e-12), "period \(period), row \(i): \(value) vs \(expected)")
        }
    }

    @Test func williamsRByHand() throws {
        var willr = try WilliamsR(period: 3)
        #expect(willr.lookback == 2)
        let got = try F.small.map { try willr.update(high: $0.h, low: $0.l, close: $0.c) }
        #expect(got[2] == -80)  // (12 - 8) / (12 - 7) * -100
        #expect(F.close(try #require(got[3]), -100.0 / 6))  // (13 - 12) / (13 - 7) * -100
        #expect(F.close(try #require(got[4]), -100.0 / 3))  // (13 - 11) / (13 - 7) * -100
    }

    @Test func mfiByHand() throws {
        var mfi = try MFI(period: 2)
        #expect(mfi.lookback == 2)
        let got = try F.small.map { try mfi.update(high: $0.h, low: $0.l, close: $0.c, volume: $0.v) }
        // Flows: +32/3*200, -26/3*300, +11*400, then none (the typical price stays at 11).
        let up1 = 32.0 / 3 * 200, down2 = 26.0 / 3 * 300, up3 = 11.0 * 400
        #expect(got[0] == nil && got[1] == nil)
        #expect(F.close(try #require(got[2]), 100 * up1 / (up1 + down2)))
        #expect(F.close(try #require(got[3]), 100 * up3 / (up3 + down2)))
        #expect(F.close(try #require(got[4]), 100))
        // No flow at all gives 0.
        var none = try MFI(period: 2)
        for _ in 0..<4 { _ = try none.update(high: 2, low: 2, close: 2, volume: 10) }
        #expect(none.value == 0)
    }

    @Test func obvByHand() throws {
        var obv = OBV()
        #expect(obv.lookback == 0)
        let closes: [Double] = [9, 11, 8, 12, 12]
        let volumes: [Double] = [100, 200, 300, 400, 500]
        let got = try zip(closes, volumes).map { try obv.update(close: $0, volume: $1) }
        #expect(got == [100, 300, 0, 400, 400])
    }

    // MARK: SAR

    @Test func sarByHand() throws {
        var sar = try ParabolicSAR()
        #expect(sar.lookback == 1)
        let bars: [(Double, Double)] = [(10, 8), (11, 9), (12, 10), (12.5, 8), (11, 7.5)]
        let got = try bars.map { try sar.update(high: $0.0, low: $0.1) }
        // Long from the start (+DM wins): SAR = first low 8, then 8 + 0.02 * (11 - 8) = 8.06;
        // a new high 12 raises af to 0.04: 8.06 + 0.04 * 3.94. The low 8 then pierces it: the
        // reversal puts the SAR at the extreme point 12, raised to today's high 12.5.
        #expect(got[0] == nil)
        #expect(got[1] == 8)
        #expect(F.close(try #require(got[2]), 8.06))
        #expect(got[3] == 12.5)
        #expect(got[4] == 12.5)
    }

    @Test func sarStartsShortWhenMinusDMWins() throws {
        var sar = try ParabolicSAR()
        _ = try sar.update(high: 10, low: 8)
        // -DM 1 beats +DM -0.5: short, the SAR starts at the first candle's high.
        let short = try sar.update(high: 9.5, low: 7)
        #expect(short == 10)
        // A tie (+DM == -DM, both -0.5 here) is long: the SAR starts at the first candle's low.
        var tie = try ParabolicSAR()
        _ = try tie.update(high: 10, low: 8)
        let long = try tie.update(high: 9.5, low: 8.5)
        #expect(long == 8)
    }

    // MARK: AROON

    @Test func aroonByHand() throws {
        var aroon = try Aroon(period: 3)
        #expect(aroon.lookback == 3)
        let highs: [Double] = [10, 12, 11, 12, 9, 8]
        let lows: [Double] = [8, 9, 7, 8, 8, 9]
        let got = try zip(highs, lows).map { try aroon.update(high: $0, low: $1) }
        #expect(got[..<3].allSatisfy { $0 == nil })
        // Row 3: the high 12 appears at rows 1 and 3; the most recent counts (TA-Lib), so up = 100.
        // Each value is 100 / period * (period - candles since the extreme), in that order.
        #expect(got[3] == Aroon.Value(down: 100.0 / 3 * 2, up: 100.0 / 3 * 3))
        #expect(got[4] == Aroon.Value(down: 100.0 / 3 * 1, up: 100.0 / 3 * 2))
        #expect(got[5] == Aroon.Value(down: 0, up: 100.0 / 3 * 1))
    }

    // MARK: DONCHIAN, KELTNER, VWAP (not in TA-Lib: worked out by hand)

    @Test func donchianByHand() throws {
        var donchian = try Donchian(period: 3)
        #expect(donchian.lookback == 2)
        let highs: [Double] = [10, 12, 11, 13, 9]
        let lows: [Double] = [8, 9, 7, 8, 8.5]
        let got = try zip(highs, lows).map { try donchian.update(high: $0, low: $1) }
        #expect(got[0] == nil && got[1] == nil)
        #expect(got[2] == Donchian.Value(upper: 12, middle: 9.5, lower: 7))
        #expect(got[3] == Donchian.Value(upper: 13, middle: 10, lower: 7))
        #expect(got[4] == Donchian.Value(upper: 13, middle: 10, lower: 7))
    }

    @Test func keltnerByHand() throws {
        var keltner = try Keltner(period: 3, multiplier: 2, atrPeriod: 2)
        #expect(keltner.lookback == 2)
        let got = try F.small.map { try keltner.update(high: $0.h, low: $0.l, close: $0.c) }
        #expect(got[0] == nil && got[1] == nil)
        // EMA3 seed (9 + 11 + 8) / 3 = 28/3, then k = 1/2: 28/3 + (12 - 28/3) / 2 = 32/3,
        // then 32/3 + (11 - 32/3) / 2 = 65/6. ATR2 of true ranges 3, 4, 5, 2: 3.5, 4.25, 3.125.
        let expected: [(middle: Double, atr: Double)] = [(28.0 / 3, 3.5), (32.0 / 3, 4.25), (65.0 / 6, 3.125)]
        for (row, e) in zip(2..., expected) {
            let v = try #require(got[row])
            #expect(F.close(v.middle, e.middle), "row \(row)")
            #expect(F.close(v.upper, e.middle + 2 * e.atr), "row \(row)")
            #expect(F.close(v.lower, e.middle - 2 * e.atr), "row \(row)")
        }
        // The lookback is the longer of the two warm-ups.
        #expect(try Keltner(period: 5, multiplier: 1, atrPeriod: 2).lookback == 4)
        #expect(try Keltner(period: 2, multiplier: 1, atrPeriod: 6).lookback == 6)
        #expect(try Keltner().lookback == 19)
    }

    @Test func sessionVWAPResetsAtUTCMidnight() throws {
        let midnight: Int64 = 19_723 * 86_400_000  // 2024-01-01T00:00:00Z
        var vwap = try VWAP()
        #expect(vwap.lookback == 0)
        // Typical prices 10, 12 | 20, 23, 26 with volumes 1, 3 | 2, 0, 6.
        let bars: [(t: Int64, h: Double, l: Double, c: Double, v: Double)] = [
            (midnight - 600_000, 11, 9, 10, 1),
            (midnight - 300_000, 14, 10, 12, 3),
            (midnight, 21, 19, 20, 2),
            (midnight + 300_000, 24, 22, 23, 0),
            (midnight + 600_000, 27, 25, 26, 6),
        ]
        let got = try bars.map { try vwap.update(time: $0.t, high: $0.h, low: $0.l, close: $0.c, volume: $0.v) }
        let expected: [Double?] = [10, 46.0 / 4, 20, 20, 196.0 / 8]
        #expect(got == expected)
    }

    @Test func sessionVWAPWithoutVolumeIsTheTypicalPrice() throws {
        var vwap = try VWAP()
        let first = try vwap.update(time: 0, high: 4, low: 1, close: 1, volume: 0)
        let second = try vwap.update(time: 60_000, high: 7, low: 1, close: 1, volume: 0)
        #expect(first == 2 && second == 3)
        // Days before 1970 are floored too: -1 ms is the day before 0.
        var early = try VWAP()
        _ = try early.update(time: -86_400_000, high: 3, low: 3, close: 3, volume: 1)
        let sameDay = try early.update(time: -1, high: 5, low: 5, close: 5, volume: 1)
        let nextDay = try early.update(time: 0, high: 9, low: 9, close: 9, volume: 1)
        #expect(sameDay == 4 && nextDay == 9)
    }

    @Test func rollingVWAPByHand() throws {
        var vwap = try VWAP(window: 2)
        #expect(vwap.lookback == 1)
        // Typical prices 10, 12, 20, 23, 26 with volumes 1, 3, 2, 0, 0; the session boundary
        // does not matter for the rolling form.
        let bars: [(h: Double, l: Double, c: Double, v: Double)] = [(11, 9, 10, 1), (14, 10, 12, 3), (21, 19, 20, 2), (24, 22, 23, 0), (27, 25, 26, 0)]
        let got = try bars.enumerated().map { i, b in
            try vwap.update(time: Int64(i) * 43_200_000, high: b.h, low: b.l, close: b.c, volume: b.v)
        }
        let expected: [Double?] = [nil, 46.0 / 4, 76.0 / 5, 20, 26]
        #expect(got == expected)
    }

    @Test func rollingVWAPDoesNotDrift() throws {
        // Large and tiny volumes alternating: a plain running sum would drift; the compensated
        // one stays on the exact value (here every window holds the same multiset of pairs).
        var vwap = try VWAP(window: 4)
        var last = 0.0
        for i in 0..<100_000 {
            let big = i % 2 == 0
            let price = big ? 100.0 : 0.1
            if let v = try vwap.update(time: Int64(i), high: price, low: price, close: price, volume: big ? 1e12 : 1e-3) {
                last = v
            }
        }
        let exact = (2 * 100.0 * 1e12 + 2 * 0.1 * 1e-3) / (2 * 1e12 + 2 * 1e-3)
        #expect(F.close(last, exact, 1e-15))
    }

    // MARK: Parameters

    @Test func invalidParametersThrow() {
        F.expectInvalid { _ = try ATR(period: 0) }
        F.expectInvalid { _ = try ATR(period: 100_001) }
        F.expectInvalid { _ = try NATR(period: 0) }
        F.expectInvalid { _ = try Stochastic(fastK: 0) }
        F.expectInvalid { _ = try Stochastic(slowK: 0) }
        F.expectInvalid { _ = try Stochastic(slowD: 100_001) }
        F.expectInvalid { _ = try ADX(period: 1) }
        F.expectInvalid { _ = try PlusDI(period: 0) }
        F.expectInvalid { _ = try MinusDI(period: 0) }
        F.expectInvalid { _ = try CCI(period: 1) }
        F.expectInvalid { _ = try WilliamsR(period: 1) }
        F.expectInvalid { _ = try MFI(period: 1) }
        F.expectInvalid { _ = try ParabolicSAR(acceleration: -0.01) }
        F.expectInvalid { _ = try ParabolicSAR(acceleration: .nan) }
        F.expectInvalid { _ = try ParabolicSAR(maximum: -1) }
        F.expectInvalid { _ = try ParabolicSAR(maximum: .infinity) }
        F.expectInvalid { _ = try Aroon(period: 1) }
        F.expectInvalid { _ = try Donchian(period: 1) }
        F.expectInvalid { _ = try Keltner(period: 0) }
        F.expectInvalid { _ = try Keltner(multiplier: -1) }
        F.expectInvalid { _ = try Keltner(multiplier: .nan) }
        F.expectInvalid { _ = try Keltner(atrPeriod: 0) }
        F.expectInvalid { _ = try VWAP(window: -1) }
        F.expectInvalid { _ = try VWAP(window: 100_001) }
        // Edges that are valid.
        #expect((try? ATR(period: 1)) != nil)
        #expect((try? ADX(period: 2)) != nil)
        #expect((try? ParabolicSAR(acceleration: 0, maximum: 0)) != nil)
        #expect((try? VWAP(window: 1)) != nil)
    }

    @Test func sarAccelerationAboveMaximumIsLowered() throws {
        // As TA-Lib: an acceleration above the maximum behaves as acceleration == maximum.
        let candles = F.walk(200)
        let lowered = try F.stream(ParabolicSAR(acceleration: 0.3, maximum: 0.2), candles)
        let capped = try F.stream(ParabolicSAR(acceleration: 0.2, maximum: 0.2), candles)
        F.expectSameColumns(lowered, capped, "sar 0.3/0.2 vs 0.2/0.2")
    }

    // MARK: Non-finite input, lookback, batch == streaming

    static let all: [(name: String, make: @Sendable () throws -> any CandleIndicator)] = [
        ("trange", { TrueRange() }),
        ("atr", { try ATR(period: 5) }),
        ("natr", { try NATR(period: 5) }),
        ("stoch", { try Stochastic(fastK: 5, slowK: 3, slowD: 2) }),
        ("adx", { try ADX(period: 4) }),
        ("plus_di", { try PlusDI(period: 4) }),
        ("minus_di", { try MinusDI(period: 4) }),
        ("cci", { try CCI(period: 5) }),
        ("willr", { try WilliamsR(period: 5) }),
        ("mfi", { try MFI(period: 5) }),
        ("obv", { OBV() }),
        ("sar", { try ParabolicSAR() }),
        ("aroon", { try Aroon(period: 5) }),
        ("donchian", { try Donchian(period: 5) }),
        ("keltner", { try Keltner(period: 5, multiplier: 1.5, atrPeriod: 7) }),
        ("vwap", { try VWAP() }),
        ("vwap:7", { try VWAP(window: 7) }),
    ]

    @Test(arguments: all.map(\.name))
    func nonFiniteInputThrowsAndChangesNothing(_ name: String) throws {
        let make = try #require(Self.all.first { $0.name == name }).make
        try F.expectRejectsNonFinite(make, F.walk(60))
    }

    @Test(arguments: all.map(\.name))
    func firstValueComesAfterTheLookback(_ name: String) throws {
        let make = try #require(Self.all.first { $0.name == name }).make
        try F.expectLookback(try make(), F.walk(40))
    }

    @Test func typedUpdatesRejectNonFiniteInput() throws {
        var atr = try ATR(period: 2)
        #expect(throws: IndicatorError.nonFiniteInput(field: "high", value: .infinity)) { _ = try atr.update(high: .infinity, low: 1, close: 1) }
        #expect(throws: IndicatorError.nonFiniteInput(field: "low", value: -.infinity)) { _ = try atr.update(high: 1, low: -.infinity, close: 1) }
        #expect(throws: IndicatorError.self) { _ = try atr.update(high: 1, low: 1, close: .nan) }
        var mfi = try MFI(period: 2)
        #expect(throws: IndicatorError.nonFiniteInput(field: "volume", value: .infinity)) { _ = try mfi.update(high: 1, low: 1, close: 1, volume: .infinity) }
        var obv = OBV()
        #expect(throws: IndicatorError.self) { _ = try obv.update(close: .nan, volume: 1) }
        var vwap = try VWAP()
        #expect(throws: IndicatorError.self) { _ = try vwap.update(time: 0, high: 1, low: 1, close: 1, volume: .nan) }
        var sar = try ParabolicSAR()
        #expect(throws: IndicatorError.self) { _ = try sar.update(high: .nan, low: 1) }
        var aroon = try Aroon()
        #expect(throws: IndicatorError.self) { _ = try aroon.update(high: 1, low: .nan) }
        // Nothing was applied: the first finite candles are still the first ones seen.
        let atrFirst = try atr.update(high: 2, low: 1, close: 1.5)
        let obvFirst = try obv.update(close: 1, volume: 7)
        #expect(atrFirst == nil && obvFirst == 7)
    }

    @Test func batchMatchesStreaming() throws {
        let c = F.walk()
        let h = F.highs(c), l = F.lows(c), cl = F.closes(c), v = F.volumes(c), t = c.map(\.time)
        func check(_ batch: [[Double]], _ indicator: some CandleIndicator, _ what: String) throws {
            F.expectSameColumns(batch, try F.stream(indicator, c), what)
        }
        try check([TrueRange.batch(high: h, low: l, close: cl)], TrueRange(), "trange")
        try check([ATR.batch(high: h, low: l, close: cl, period: 5)], ATR(period: 5), "atr")
        try check([NATR.batch(high: h, low: l, close: cl, period: 5)], NATR(period: 5), "natr")
        let s = try Stochastic.batch(high: h, low: l, close: cl, fastK: 5, slowK: 3, slowD: 2)
        try check([s.k, s.d], Stochastic(fastK: 5, slowK: 3, slowD: 2), "stoch")
        try check([ADX.batch(high: h, low: l, close: cl, period: 4)], ADX(period: 4), "adx")
        try check([PlusDI.batch(high: h, low: l, close: cl, period: 4)], PlusDI(period: 4), "plus_di")
        try check([MinusDI.batch(high: h, low: l, close: cl, period: 4)], MinusDI(period: 4), "minus_di")
        try check([CCI.batch(high: h, low: l, close: cl, period: 5)], CCI(period: 5), "cci")
        try check([WilliamsR.batch(high: h, low: l, close: cl, period: 5)], WilliamsR(period: 5), "willr")
        try check([MFI.batch(high: h, low: l, close: cl, volume: v, period: 5)], MFI(period: 5), "mfi")
        try check([OBV.batch(close: cl, volume: v)], OBV(), "obv")
        try check([ParabolicSAR.batch(high: h, low: l, acceleration: 0.03, maximum: 0.25)], ParabolicSAR(acceleration: 0.03, maximum: 0.25), "sar")
        let a = try Aroon.batch(high: h, low: l, period: 5)
        try check([a.down, a.up], Aroon(period: 5), "aroon")
        let d = try Donchian.batch(high: h, low: l, period: 5)
        try check([d.upper, d.middle, d.lower], Donchian(period: 5), "donchian")
        let k = try Keltner.batch(high: h, low: l, close: cl, period: 5, multiplier: 1.5, atrPeriod: 7)
        try check([k.upper, k.middle, k.lower], Keltner(period: 5, multiplier: 1.5, atrPeriod: 7), "keltner")
        try check([VWAP.batch(time: t, high: h, low: l, close: cl, volume: v)], VWAP(), "vwap")
        try check([VWAP.batch(time: t, high: h, low: l, close: cl, volume: v, window: 7)], VWAP(window: 7), "vwap:7")
    }

    @Test func donchianMatchesABruteForceWindow() throws {
        let c = F.walk()
        let out = try Donchian.batch(high: F.highs(c), low: F.lows(c), period: 7)
        for row in 6..<c.count {
            let window = c[(row - 6)...row]
            let upper = window.map(\.high).max()!, lower = window.map(\.low).min()!
            #expect(out.upper[row] == upper && out.lower[row] == lower && out.middle[row] == (upper + lower) / 2, "row \(row)")
        }
    }

    @Test(arguments: [2, 3, 5, 14])
    func aroonMatchesABruteForceWindow(_ period: Int) throws {
        // Integer prices: many equal extremes, where the most recent must count.
        let c = F.walk()
        let out = try Aroon.batch(high: F.highs(c), low: F.lows(c), period: period)
        for row in period..<c.count {
            let window = (row - period)...row
            let highest = window.map { c[$0].high }.max()!, lowest = window.map { c[$0].low }.min()!
            let sinceHigh = row - window.last { c[$0].high == highest }!
            let sinceLow = row - window.last { c[$0].low == lowest }!
            let factor = 100.0 / Double(period)
            #expect(out.up[row] == factor * Double(period - sinceHigh), "up, row \(row)")
            #expect(out.down[row] == factor * Double(period - sinceLow), "down, row \(row)")
        }
    }

    @Test(arguments: [1, 2, 3, 14])
    func stochasticAndWilliamsRMatchABruteForceWindow(_ period: Int) throws {
        let c = F.walk()
        let stoch = try Stochastic.batch(high: F.highs(c), low: F.lows(c), close: F.closes(c), fastK: period, slowK: 1, slowD: 1)
        let willr = period >= 2 ? try WilliamsR.batch(high: F.highs(c), low: F.lows(c), close: F.closes(c), period: period) : nil
        for row in (period - 1)..<c.count {
            let window = c[(row - period + 1)...row]
            let highest = window.map(\.high).max()!, lowest = window.map(\.low).min()!
            let range = highest - lowest
            #expect(stoch.k[row] == (range == 0 ? 0 : (c[row].close - lowest) / range * 100), "stoch row \(row)")
            #expect(stoch.d[row] == stoch.k[row])
            if let willr {
                #expect(willr[row] == (range == 0 ? 0 : (highest - c[row].close) / range * -100), "willr row \(row)")
            }
        }
    }

    @Test func vwapMatchesABruteForceSum() throws {
        let c = F.walk()
        let session = try F.stream(VWAP(), c)[0]
        let rolling = try F.stream(VWAP(window: 9), c)[0]
        var start = 0
        for row in c.indices {
            if row > 0, c[row].time / 86_400_000 != c[row - 1].time / 86_400_000 { start = row }
            func expected(_ from: Int) -> Double {
                let w = c[from...row]
                let typical = w.map { ($0.high + $0.low + $0.close) / 3 }
                let volume = w.map(\.volume).reduce(0, +)
                let tp = typical.last!
                return volume == 0 ? tp : zip(typical, w.map(\.volume)).map(*).reduce(0, +) / volume
            }
            #expect(F.close(session[row], expected(start)), "session row \(row)")
            if row >= 8 { #expect(F.close(rolling[row], expected(row - 8)), "rolling row \(row)") } else { #expect(rolling[row].isNaN) }
        }
    }

    // MARK: Catalog

    @Test func catalogEntries() throws {
        let names = ["trange", "atr", "natr", "stoch", "adx", "plus_di", "minus_di", "cci", "willr", "mfi", "obv", "sar", "aroon", "donchian", "keltner", "vwap"]
        let mine = IndicatorCatalog.all.filter { names.contains($0.name) }
        #expect(mine.map(\.name) == names)
        func definition(_ name: String) throws -> IndicatorDefinition { try #require(IndicatorCatalog.definition(named: name)) }
        #expect(try definition("trange").parameters.isEmpty)
        #expect(try definition("obv").parameters.isEmpty)
        for name in ["atr", "natr", "adx", "plus_di", "minus_di", "cci", "willr", "mfi", "aroon"] {
            let d = try definition(name)
            #expect(d.parameters.map(\.name) == ["period"] && d.parameters[0].defaultValue == 14, "\(name)")
        }
        let stoch = try definition("stoch")
        #expect(stoch.parameters.map(\.name) == ["fastk", "slowk", "slowd"])
        #expect(stoch.parameters.map(\.defaultValue) == [14, 3, 3])
        #expect(stoch.outputs == ["k", "d"])
        let sar = try definition("sar")
        #expect(sar.parameters.map(\.name) == ["acceleration", "maximum"])
        #expect(sar.parameters.map(\.defaultValue) == [0.02, 0.2])
        #expect(sar.parameters.allSatisfy { !$0.isInteger })
        #expect(try definition("aroon").outputs == ["down", "up"])
        let donchian = try definition("donchian")
        #expect(donchian.parameters.map(\.defaultValue) == [20] && donchian.outputs == ["upper", "middle", "lower"] && !donchian.matchesTALib)
        let keltner = try definition("keltner")
        #expect(keltner.parameters.map(\.name) == ["period", "multiplier", "atr_period"])
        #expect(keltner.parameters.map(\.defaultValue) == [20, 2, 10])
        #expect(keltner.parameters.map(\.isInteger) == [true, false, true])
        #expect(keltner.outputs == ["upper", "middle", "lower"] && !keltner.matchesTALib)
        let vwap = try definition("vwap")
        #expect(vwap.parameters.map(\.name) == ["window"] && vwap.parameters[0].defaultValue == 0)
        #expect(vwap.optionalTrailing == 1 && !vwap.matchesTALib)
        for name in names where !["donchian", "keltner", "vwap"].contains(name) {
            #expect(try definition(name).matchesTALib, "\(name)")
        }
    }

    @Test func catalogSpecsBuildTheRightIndicators() throws {
        #expect(try IndicatorSpec(parsing: "vwap").columnNames == ["vwap"])
        #expect(try IndicatorSpec(parsing: "vwap:20").columnNames == ["vwap_20"])
        #expect(try IndicatorSpec(parsing: "vwap:20").makeIndicator().lookback == 19)
        #expect(try IndicatorSpec(parsing: "vwap").makeIndicator().lookback == 0)
        #expect(try IndicatorSpec(parsing: "stoch").columnNames == ["stoch_14_3_3_k", "stoch_14_3_3_d"])
        #expect(try IndicatorSpec(parsing: "sar").columnNames == ["sar_0.02_0.2"])
        #expect(try IndicatorSpec(parsing: "keltner:20:1.5").columnNames == ["keltner_20_1.5_10_upper", "keltner_20_1.5_10_middle", "keltner_20_1.5_10_lower"])
        #expect(try IndicatorSpec(parsing: "aroon:25").columnNames == ["aroon_25_down", "aroon_25_up"])
        let lookbacks: [(String, Int)] = [
            ("trange", 1), ("atr", 14), ("natr", 14), ("stoch", 17), ("adx", 27), ("plus_di", 14), ("minus_di", 14),
            ("cci", 13), ("willr", 13), ("mfi", 14), ("obv", 0), ("sar", 1), ("aroon", 14), ("donchian", 19),
            ("keltner", 19), ("keltner:5:2:10", 10),
        ]
        for (text, lookback) in lookbacks {
            #expect(try IndicatorSpec(parsing: text).makeIndicator().lookback == lookback, "\(text)")
        }
        // Out-of-range values are refused by the indicator, huge ones without trapping.
        #expect(throws: IndicatorError.self) { _ = try IndicatorSpec(parsing: "atr:0").makeIndicator() }
        #expect(throws: IndicatorError.self) { _ = try IndicatorSpec(parsing: "adx:1e30").makeIndicator() }
        #expect(throws: IndicatorError.self) { _ = try IndicatorSpec(parsing: "vwap:-5").makeIndicator() }
        #expect(throws: IndicatorError.self) { _ = try IndicatorSpec(parsing: "sar:-1").makeIndicator() }
    }
}
