import Indicators
import Testing

// The batch functions' own contract, for every indicator: bit-identical to streaming at edge
// parameters (period 1, the shortest windows) and on series shorter than, equal to and just
// longer than the lookback; and refusal of a non-finite input with the error streaming gives
// for the first such input (the batches check every input inside their loops, the warm-up's
// included, and search for the first bad one only when the check failed).

@Suite struct BatchTests {
    /// Specs at edge and small parameters, with the columns each batch function reads.
    static let specs: [(spec: String, reads: [Column])] = {
        let c: [Column] = [.close], hl: [Column] = [.high, .low], hlc: [Column] = [.high, .low, .close]
        return [
            ("sma:1", c), ("sma:4", c), ("ema:1", c), ("ema:4", c), ("wma:1", c), ("wma:4", c),
            ("dema:1", c), ("dema:3", c), ("tema:1", c), ("tema:3", c), ("rsi:2", c), ("rsi:5", c),
            ("macd:2:5:1", c), ("macd:3:8:4", c), ("bbands:2:1.5", c), ("bbands:5:2", c),
            ("stddev:2:1", c), ("stddev:5:0.5", c), ("roc:1", c), ("roc:3", c), ("mom:1", c), ("mom:3", c),
            ("stochrsi:3:2:2", c), ("stochrsi:2:1:1", c), ("linearreg_slope:2", c), ("linearreg_slope:5", c),
            ("trange", hlc), ("atr:1", hlc), ("atr:4", hlc), ("natr:1", hlc), ("natr:4", hlc),
            ("adx:2", hlc), ("adx:4", hlc), ("plus_di:1", hlc), ("plus_di:4", hlc), ("minus_di:1", hlc), ("minus_di:4", hlc),
            ("cci:2", hlc), ("cci:5", hlc), ("willr:2", hlc), ("willr:5", hlc), ("willr:7", hlc),
            ("mfi:2", [.high, .low, .close, .volume]), ("mfi:5", [.high, .low, .close, .volume]),
            ("mfi:300", [.high, .low, .close, .volume]),  // a window longer than a batch block
            ("obv", [.close, .volume]), ("sar:0.02:0.2", hl), ("sar:0.3:0.2", hl),
            ("stoch:1:1:1", hlc), ("stoch:5:3:2", hlc), ("aroon:2", hl), ("aroon:3", hl), ("aroon:5", hl),
            ("aroon:300", hl), ("aroon:399", hl),  // windows longer than a block; two whole blocks
            ("donchian:2", hl), ("donchian:5", hl), ("donchian:7", hl), ("keltner:1:2:1", hlc), ("keltner:5:1.5:7", hlc),
            ("vwap", [.high, .low, .close, .volume]), ("vwap:7", [.high, .low, .close, .volume]),
        ]
    }()

    enum Column: CaseIterable { case high, low, close, volume }

    @Test(arguments: specs.map(\.spec))
    func batchEqualsStreamingAtEveryLength(_ text: String) throws {
        let spec = try IndicatorSpec(parsing: text)
        let walk = RangesFixtures.walk()
        let lookback = try spec.makeIndicator().lookback
        for count in Array(0...(lookback + 2)) + [walk.count] {
            let candles = Array(walk.prefix(count))
            let batch = try #require(try BatchAPI.outputs(spec, CandleCSV.Columns(candles)))
            RangesFixtures.expectSameColumns(batch, try TALibParityTests.stream(spec, candles), "\(text), \(count) candles")
        }
    }

    /// Aroon's batch on prices drawn from a few levels, so most windows hold several equal
    /// extremes (the most recent must count, as streaming), at lengths around the block
    /// boundaries of its windows; and period 1 refused as streaming refuses it.
    @Test(arguments: [2, 3, 7])
    func aroonBatchResolvesTiesAsStreaming(_ period: Int) throws {
        var state: UInt64 = 12_345
        let candles = (0..<(6 * (period + 1) + 3)).map { i in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let level = Double(state >> 62)  // 0...3
            return Candle(time: Int64(i) * 60_000, open: 10, high: 10 + level, low: 10 - Double((state >> 60) & 3), close: 10, volume: 1)
        }
        for count in 0...candles.count {
            let prefix = Array(candles.prefix(count))
            let batch = try Aroon.batch(high: prefix.map(\.high), low: prefix.map(\.low), period: period)
            RangesFixtures.expectSameColumns([batch.down, batch.up], try RangesFixtures.stream(Aroon(period: period), prefix),
                                             "aroon:\(period), \(count) candles")
        }
        let flat = [Double](repeating: 5, count: 20)
        let constant = try Aroon.batch(high: flat, low: flat, period: period)
        #expect(constant.up.dropFirst(period).allSatisfy { $0 == 100 } && constant.down.dropFirst(period).allSatisfy { $0 == 100 })
        #expect(throws: IndicatorError.self) { _ = try Aroon.batch(high: flat, low: flat, period: 1) }
    }

    /// NATR's batch divides by the close in a loop of its own, block by block: zero closes
    /// (which give 0) in the first value, inside and at the edges of blocks, as streaming.
    @Test(arguments: [1, 4])
    func natrBatchTreatsZeroClosesAsStreaming(_ period: Int) throws {
        var candles = RangesFixtures.walk()
        for row in [period, period + 1, 255, 256, 257, 511, 512, candles.count - 1] {
            candles[row].close = 0
            candles[row].low = 0
        }
        let batch = try NATR.batch(high: candles.map(\.high), low: candles.map(\.low), close: candles.map(\.close), period: period)
        RangesFixtures.expectSameColumns([batch], try RangesFixtures.stream(NATR(period: period), candles), "natr:\(period), zero closes")
        if period > 1 { #expect(batch[period] == 0 && batch[256] == 0) }  // period 1: the plain true range
    }

    /// The batches that work in blocks (of ``BatchSupport/blockSize`` entries or their own
    /// 16, 32 or 64, WILLR's chunks of 32, or a window at a time) at every length up to 140 and
    /// at lengths ending just before, at and after the boundaries of blocks of 256: the same
    /// values as streaming.
    @Test(arguments: ["atr:4", "natr:4", "stddev:5:0.5", "bbands:5:2", "mfi:5", "aroon:5", "willr:5", "willr:31", "willr:33",
                      "willr:64", "donchian:5", "stoch:5:3:2", "rsi:5", "obv", "trange"])
    func blockEdgesMatchStreaming(_ text: String) throws {
        let spec = try IndicatorSpec(parsing: text)
        let walk = RangesFixtures.walk(780)
        for count in Array(0...140) + [254, 255, 256, 257, 258, 259, 260, 261, 262, 510, 511, 512, 513, 514, 515, 516, 517, 518, 770] {
            let candles = Array(walk.prefix(count))
            let batch = try #require(try BatchAPI.outputs(spec, CandleCSV.Columns(candles)))
            RangesFixtures.expectSameColumns(batch, try TALibParityTests.stream(spec, candles), "\(text), \(count) candles")
        }
    }

    /// Lows that tie as -0 and +0 between the previous block of a window and the current one
    /// (blocks of 3: -0 in one block's suffix, +0 first in the next): streaming and batch
    /// keep the same zero, bit for bit (the window minimum takes its operands in one order).
    @Test(arguments: ["donchian:3", "willr:3", "stoch:3:2:2"])
    func signedZeroLowsMatchBatch(_ text: String) throws {
        let spec = try IndicatorSpec(parsing: text)
        let candles = (0..<40).map { i in
            let low = [5, -0.0, 5, 0.0, 5, 5][i % 6]
            return Candle(time: Int64(i) * 60_000, open: 3, high: 4 + Double(i % 3), low: low, close: 3, volume: 1)
        }
        let batch = try #require(try BatchAPI.outputs(spec, CandleCSV.Columns(candles)))
        RangesFixtures.expectSameColumns(batch, try TALibParityTests.stream(spec, candles), "\(text), signed zeros")
    }

    /// Columns of 4 MB and more get huge-page advice, and fresh ones have their pages mapped
    /// in one call before the loop writes them: the values are the same as streaming's, in a
    /// first call and in one that reuses the memory.
    @Test func largeColumnsHoldStreamingValues() throws {
        let input = (0..<600_000).map { 100 + Double(($0 &* 7_919) % 977) * 0.01 }
        var momentum = try MOM(period: 10)
        let streamed = try input.map { x throws(IndicatorError) in try momentum.update(x) ?? .nan }
        for _ in 0..<2 {
            let batch = try MOM.batch(input, period: 10)
            let differing = zip(batch, streamed).filter { $0.bitPattern != $1.bitPattern }.count
            #expect(batch.count == input.count && differing == 0)
        }
    }

    /// Bad values planted in the columns, as (row, column, value).
    static let plantings: [[(row: Int, column: Column, value: Double)]] = [
        [(50, .close, .nan)],
        [(30, .high, .infinity), (30, .close, .nan), (20, .low, -.infinity)],
        [(16, .low, -.infinity), (17, .high, .nan)],
        [(0, .volume, .infinity), (199, .close, .infinity)],
        [(199, .high, -.infinity)],
        [(0, .high, .nan)],
        [(1, .low, .infinity), (3, .close, .nan)],
        // Past the first batch blocks; the last row (some loops check the last close apart).
        [(799, .close, .nan)],
        [(799, .volume, -.infinity)],
        [(640, .high, .infinity), (700, .low, .nan)],
        [(333, .close, .infinity)],
    ]

    @Test(arguments: specs.map(\.spec))
    func batchRejectsTheFirstNonFiniteInputAsStreamingDoes(_ text: String) throws {
        let spec = try IndicatorSpec(parsing: text)
        let reads = try #require(Self.specs.first { $0.spec == text }).reads
        let clean = CandleCSV.Columns(RangesFixtures.walk(800))
        for planting in Self.plantings {
            var columns = clean
            for p in planting {
                switch p.column {
                case .high: columns.high[p.row] = p.value
                case .low: columns.low[p.row] = p.value
                case .close: columns.close[p.row] = p.value
                case .volume: columns.volume[p.row] = p.value
                }
            }
            // What streaming throws: at the first row with a bad input the indicator reads,
            // naming the first such field (close-only indicators call their input "value").
            let read = planting.filter { reads.contains($0.column) }
            let expected: String? = read.min { ($0.row, Column.allCases.firstIndex(of: $0.column)!) < ($1.row, Column.allCases.firstIndex(of: $1.column)!) }
                .map { first in
                    let field = reads == [.close] ? "value" : "\(first.column)"
                    return IndicatorError.nonFiniteInput(field: field, value: first.value).description
                }
            do {
                _ = try BatchAPI.outputs(spec, columns)
                #expect(expected == nil, "\(text): accepted a non-finite input (\(planting))")
            } catch {
                #expect(String(describing: error) == expected, "\(text): \(planting)")
            }
        }
    }

    /// Huge finite inputs, whose differences and squares overflow: the cheaper finiteness
    /// checks some batch loops fold into their arithmetic then fail, the search finds no bad
    /// value, and the batch returns what streaming gives (which accepts every finite input).
    @Test(arguments: specs.map(\.spec))
    func batchKeepsHugeFiniteInputs(_ text: String) throws {
        let spec = try IndicatorSpec(parsing: text)
        let candles = RangesFixtures.walk(400).enumerated().map { i, c in
            let sign = i % 2 == 0 ? 1.0 : -1.0
            return Candle(time: c.time, open: c.open * 1.7e306, high: c.high * 1.7e306, low: -c.low * 1.7e306,
                          close: sign * c.close * 1.7e306, volume: 1e308)
        }
        let batch = try #require(try BatchAPI.outputs(spec, CandleCSV.Columns(candles)))
        RangesFixtures.expectSameColumns(batch, try TALibParityTests.stream(spec, candles), "\(text), huge inputs")
    }
}
