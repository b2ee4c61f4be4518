import Foundation
import Indicators
import Testing

/// Every catalog indicator, fed the real candles of `../shared/data/candles` one by one through
/// `CandleIndicator.update(_:)`, against the values TA-Lib gives for the same candles
/// (`Tests/IndicatorsTests/Reference`, written by `scripts/talib_reference.py`; donchian,
/// keltner and vwap are computed there independently with numpy).
///
/// Each output column must have exactly the reference's empty cells (the lookback) and values
/// within 1e-9 relative or 1e-12 absolute. The first mismatch of each column is reported with
/// file, column, row, got and want; every failing column of every indicator is reported.
@Suite struct TALibParityTests {
    /// The candle files of `../shared/data/candles`; each has `Reference/<name>.csv`.
    static let candleFiles = [
        "ADA_BTC-5m.csv", "DASH_BTC-5m.csv", "ETC_BTC-5m.csv", "ETH_BTC-5m.csv", "LTC_BTC-5m.csv",
        "NXT_BTC-5m.csv", "TRX_BTC-5m.csv", "XLM_BTC-5m.csv", "XRP_ETH-1m.csv",
    ]
    /// Files that also have `Reference/<name>.variants.csv` (non-default parameters).
    static let variantFiles = ["XRP_ETH-1m.csv", "ETH_BTC-5m.csv"]

    static let relativeTolerance = 1e-9
    static let absoluteTolerance = 1e-12

    @Test func referenceFolderMatchesTheSharedCandles() throws {
        let shared = try sortedCSVs(in: TestData.sharedCandles)
        #expect(shared == Self.candleFiles.sorted(), "the shared candle files changed; update candleFiles and rerun scripts/talib_reference.py")
        let reference = try sortedCSVs(in: TestData.reference)
        let expected = (Self.candleFiles + Self.variantFiles.map(Self.variantName)).sorted()
        #expect(reference == expected, "Reference/ does not hold exactly one file per candle file plus the variants")
    }

    @Test(arguments: candleFiles)
    func standardSetMatchesTALib(_ file: String) throws {
        try Self.checkParity(candleFile: file, referenceFile: file, specsFile: "specs.txt")
    }

    @Test(arguments: variantFiles)
    func otherParametersMatchTALib(_ file: String) throws {
        try Self.checkParity(candleFile: file, referenceFile: Self.variantName(file), specsFile: "variants.txt")
    }

    /// Every spec of the standard set parses, and together they name every catalog indicator:
    /// an indicator added to the catalog without a reference fails here.
    @Test func standardSetCoversTheCatalog() throws {
        let specs = try IndicatorSpec.parseList(TestData.referenceText("specs.txt"))
        let covered = Set(specs.map(\.definition.name))
        let uncovered = IndicatorCatalog.all.map(\.name).filter { !covered.contains($0) }
        #expect(uncovered.isEmpty, "catalog indicators without TA-Lib reference values: \(uncovered.joined(separator: ", "))")
    }

    /// The typed batch functions give bit for bit what streaming gives.
    @Test(arguments: variantFiles)
    func batchMatchesStreaming(_ file: String) throws {
        let candles = try TestData.candles(file)
        let columns = CandleCSV.Columns(candles)
        for specsFile in ["specs.txt", "variants.txt"] {
            for text in try Self.specTexts(specsFile) {
                guard let spec = try? IndicatorSpec(parsing: text) else { continue }  // reported by the parity tests
                let batch: [[Double]]
                do {
                    guard let b = try BatchAPI.outputs(spec, columns) else {
                        Issue.record("\(text): no batch function mapped in BatchAPI (TALibParityTests.swift); add the indicator's typed batch call")
                        continue
                    }
                    batch = b
                } catch {
                    Issue.record("\(file) \(text): batch threw \(error)")
                    continue
                }
                let streamed = try Self.stream(spec, candles)
                guard batch.count == streamed.count else {
                    Issue.record("\(file) \(text): batch gives \(batch.count) outputs, streaming \(streamed.count)")
                    continue
                }
                for (k, name) in spec.columnNames.enumerated() {
                    let b = batch[k], s = streamed[k]
                    guard b.count == s.count else {
                        Issue.record("\(file) \(name): batch gives \(b.count) values for \(s.count) candles")
                        continue
                    }
                    if let row = b.indices.first(where: { !Self.identical(b[$0], s[$0]) }) {
                        Issue.record("\(file) \(name) (\(text)): batch differs from streaming at row \(row): batch \(b[row]), streaming \(s[row])")
                    }
                }
            }
        }
    }

    // MARK: - The check

    static func variantName(_ file: String) -> String {
        String(file.dropLast(".csv".count)) + ".variants.csv"
    }

    static func specTexts(_ specsFile: String) throws -> [String] {
        try TestData.referenceText(specsFile).split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
    }

    static func identical(_ a: Double, _ b: Double) -> Bool {
        a.isNaN ? b.isNaN : a.bitPattern == b.bitPattern
    }

    /// Streams every candle through a fresh instance; NaN where `update` returned false.
    static func stream(_ spec: IndicatorSpec, _ candles: [Candle]) throws -> [[Double]] {
        var indicator = try spec.makeIndicator()
        let outputs = indicator.outputNames.count
        var out = Array(repeating: [Double](repeating: .nan, count: candles.count), count: outputs)
        for (row, candle) in candles.enumerated() {
            guard try indicator.update(candle) else { continue }
            for k in 0..<outputs { out[k][row] = indicator.value(k) }
        }
        return out
    }

    /// One output column's comparison with its reference column.
    struct ColumnCheck {
        let name: String
        let spec: String
        let want: [Double]
        var mismatches = 0
        var firstMismatch: String?
        var worstRelative = 0.0
        var worstRelativeRow = -1
        var worstAbsolute = 0.0
        var compared = 0
        /// First row where `update` returned false but `value(_:)` was not NaN.
        var valueInWarmUp: Int?

        init(name: String, spec: String, want: [Double]) {
            self.name = name
            self.spec = spec
            self.want = want
        }

        /// `got` is nil during the warm-up (update returned false).
        mutating func check(row: Int, got: Double?, candles: [Candle]) {
            let want = self.want[row]
            var problem: String?
            switch (got, want.isNaN) {
            case (nil, true):
                return
            case (nil, false):
                problem = "got no value (still in the lookback), want \(want)"
            case let (g?, true):
                problem = "got \(g), want an empty cell (TA-Lib's lookback)"
            case let (g?, false):
                compared += 1
                let diff = abs(g - want)
                if !(diff <= TALibParityTests.absoluteTolerance || diff <= TALibParityTests.relativeTolerance * abs(want)) {
                    problem = "got \(g), want \(want) (relative error \(String(format: "%.3g", diff / abs(want))))"
                }
                // Relative error counts where the absolute tolerance does not already cover the
                // difference (running-sum residues around 0 give huge ratios of tiny numbers).
                let relative = diff <= TALibParityTests.absoluteTolerance ? 0 : diff / abs(want)
                if !(relative <= worstRelative) {  // also catches NaN
                    worstRelative = relative
                    worstRelativeRow = row
                }
                if !(diff <= worstAbsolute) { worstAbsolute = diff }
            }
            guard let problem else { return }
            mismatches += 1
            if firstMismatch == nil {
                firstMismatch = "row \(row) (line \(row + 2), time \(candles[row].time)): \(problem)"
            }
        }
    }

    static func checkParity(candleFile: String, referenceFile: String, specsFile: String) throws {
        let candles = try TestData.candles(candleFile)
        let reference = try CSVTable.read(TestData.reference.appendingPathComponent(referenceFile))
        let texts = try specTexts(specsFile)
        let place = "\(referenceFile)"

        // The reference must be for these very candles.
        let times = try #require(reference.column("time"), "\(place): no time column")
        try #require(reference.rowCount == candles.count,
                     "\(place): \(reference.rowCount) rows for \(candles.count) candles in \(candleFile); rerun scripts/talib_reference.py")
        if let row = candles.indices.first(where: { Int64(times[$0]) != candles[$0].time }) {
            Issue.record("\(place): row \(row) has time \(Int64(times[row])), the candle \(candles[row].time); rerun scripts/talib_reference.py")
            return
        }

        // The whole list as the pipeline would parse it, then spec by spec so one unknown
        // indicator does not hide the others.
        var specs: [(text: String, spec: IndicatorSpec)] = []
        var unparsed: [String] = []
        do {
            _ = try IndicatorSpec.parseList(texts.joined(separator: ","))
        } catch {
            Issue.record("\(specsFile): IndicatorSpec.parseList failed: \(error)")
        }
        for text in texts {
            do {
                specs.append((text, try IndicatorSpec(parsing: text)))
            } catch {
                unparsed.append(text)
                Issue.record("\(place) \(text): cannot parse the spec: \(error)")
            }
        }

        // Columns: every produced one must be in the reference and vice versa.
        var produced: Set<String> = []
        var checks: [[ColumnCheck]] = []
        var indicators: [any CandleIndicator] = []
        for (text, spec) in specs {
            let indicator: any CandleIndicator
            do {
                indicator = try spec.makeIndicator()
            } catch {
                Issue.record("\(place) \(text): makeIndicator() failed: \(error)")
                continue
            }
            let names = spec.columnNames
            #expect(indicator.outputNames == spec.definition.outputs,
                    "\(text): the instance's outputNames \(indicator.outputNames) differ from the definition's \(spec.definition.outputs)")
            guard indicator.outputNames.count == names.count else { continue }
            var columnChecks: [ColumnCheck] = []
            for name in names {
                produced.insert(name)
                if let want = reference.column(name) {
                    columnChecks.append(ColumnCheck(name: name, spec: text, want: want))
                } else {
                    Issue.record("\(place) \(text): extra column \(name), not in the reference (reference columns: \(reference.header.dropFirst().joined(separator: ",")))")
                }
            }
            guard columnChecks.count == names.count else { continue }
            // The lookback must be where the reference's values start.
            if let start = columnChecks[0].want.firstIndex(where: { !$0.isNaN }), start != indicator.lookback {
                Issue.record("\(place) \(text): lookback is \(indicator.lookback), TA-Lib's first value is at row \(start)")
            }
            checks.append(columnChecks)
            indicators.append(indicator)
        }
        if unparsed.isEmpty {
            let missing = reference.header.dropFirst().filter { !produced.contains($0) }
            if !missing.isEmpty {
                Issue.record("\(place): missing columns, in the reference but produced by no spec of \(specsFile): \(missing.joined(separator: ", "))")
            }
        }

        // Stream every candle through every indicator.
        var failed = [Bool](repeating: false, count: indicators.count)
        for (row, candle) in candles.enumerated() {
            for i in indicators.indices where !failed[i] {
                let ready: Bool
                do {
                    ready = try indicators[i].update(candle)
                } catch {
                    Issue.record("\(place) \(checks[i][0].spec): update threw at row \(row): \(error)")
                    failed[i] = true
                    continue
                }
                for k in checks[i].indices {
                    let value = indicators[i].value(k)
                    if !ready, !value.isNaN, checks[i][k].valueInWarmUp == nil { checks[i][k].valueInWarmUp = row }
                    checks[i][k].check(row: row, got: ready ? value : nil, candles: candles)
                }
            }
        }

        // Report: every failing column, with its first mismatch.
        var worst = (relative: 0.0, column: "-", row: -1)
        var worstAbsolute = (difference: 0.0, column: "-")
        var values = 0
        for column in checks.joined() {
            values += column.compared
            if !(column.worstAbsolute <= worstAbsolute.difference) { worstAbsolute = (column.worstAbsolute, column.name) }
            if column.worstRelative > worst.relative || column.worstRelative.isNaN {
                worst = (column.worstRelative, column.name, column.worstRelativeRow)
            }
            if let row = column.valueInWarmUp {
                Issue.record("\(place), column \(column.name) (\(column.spec)): update returned false at row \(row) but value() is not NaN")
            }
            if let first = column.firstMismatch {
                Issue.record("""
                    \(place), column \(column.name) (\(column.spec)): \(column.mismatches) of \(candles.count) rows differ; \
                    first at \(first); worst relative error \(String(format: "%.3g", column.worstRelative))
                    """)
            }
        }
        print("TA-Lib parity \(place): \(checks.joined().count) columns, \(values) values, worst relative error \(String(format: "%.3g", worst.relative)) (\(worst.column) row \(worst.row)), worst absolute difference \(String(format: "%.3g", worstAbsolute.difference)) (\(worstAbsolute.column))")
    }

    private func sortedCSVs(in folder: URL) throws -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw TestDataError(message: "environment error: cannot list \(folder.path)")
        }
        return names.filter { $0.hasSuffix(".csv") }.sorted()
    }
}

/// The indicators' typed batch functions, behind one call taking a spec's parameter values.
/// Returns nil for an indicator without a batch function here.
enum BatchAPI {
    static func outputs(_ spec: IndicatorSpec, _ c: CandleCSV.Columns) throws -> [[Double]]? {
        let p = spec.values
        func n(_ i: Int) -> Int { Int(p[i]) }
        switch spec.definition.name {
        case "sma": return [try SMA.batch(c.close, period: n(0))]
        case "ema": return [try EMA.batch(c.close, period: n(0))]
        case "wma": return [try WMA.batch(c.close, period: n(0))]
        case "dema": return [try DEMA.batch(c.close, period: n(0))]
        case "tema": return [try TEMA.batch(c.close, period: n(0))]
        case "rsi": return [try RSI.batch(c.close, period: n(0))]
        case "macd":
            let r = try MACD.batch(c.close, fast: n(0), slow: n(1), signal: n(2))
            return [r.macd, r.signal, r.hist]
        case "bbands":
            let r = try BBANDS.batch(c.close, period: n(0), nbdev: p[1])
            return [r.upper, r.middle, r.lower]
        case "stddev": return [try STDDEV.batch(c.close, period: n(0), nbdev: p[1])]
        case "roc": return [try ROC.batch(c.close, period: n(0))]
        case "mom": return [try MOM.batch(c.close, period: n(0))]
        case "stochrsi":
            let r = try STOCHRSI.batch(c.close, period: n(0), fastK: n(1), fastD: n(2))
            return [r.k, r.d]
        case "linearreg_slope": return [try LINEARREG_SLOPE.batch(c.close, period: n(0))]
        case "trange": return [try TrueRange.batch(high: c.high, low: c.low, close: c.close)]
        case "atr": return [try ATR.batch(high: c.high, low: c.low, close: c.close, period: n(0))]
        case "natr": return [try NATR.batch(high: c.high, low: c.low, close: c.close, period: n(0))]
        case "adx": return [try ADX.batch(high: c.high, low: c.low, close: c.close, period: n(0))]
        case "plus_di": return [try PlusDI.batch(high: c.high, low: c.low, close: c.close, period: n(0))]
        case "minus_di": return [try MinusDI.batch(high: c.high, low: c.low, close: c.close, period: n(0))]
        case "cci": return [try CCI.batch(high: c.high, low: c.low, close: c.close, period: n(0))]
        case "willr": return [try WilliamsR.batch(high: c.high, low: c.low, close: c.close, period: n(0))]
        case "mfi": return [try MFI.batch(high: c.high, low: c.low, close: c.close, volume: c.volume, period: n(0))]
        case "obv": return [try OBV.batch(close: c.close, volume: c.volume)]
        case "sar": return [try ParabolicSAR.batch(high: c.high, low: c.low, acceleration: p[0], maximum: p[1])]
        case "stoch":
            let r = try Stochastic.batch(high: c.high, low: c.low, close: c.close, fastK: n(0), slowK: n(1), slowD: n(2))
            return [r.k, r.d]
        case "aroon":
            let r = try Aroon.batch(high: c.high, low: c.low, period: n(0))
            return [r.down, r.up]
        case "donchian":
            let r = try Donchian.batch(high: c.high, low: c.low, period: n(0))
            return [r.upper, r.middle, r.lower]
        case "keltner":
            let r = try Keltner.batch(high: c.high, low: c.low, close: c.close, period: n(0), multiplier: p[1], atrPeriod: n(2))
            return [r.upper, r.middle, r.lower]
        case "vwap":
            return [try VWAP.batch(time: c.time, high: c.high, low: c.low, close: c.close, volume: c.volume, window: p.isEmpty ? 0 : n(0))]
        default: return nil
        }
    }
}
