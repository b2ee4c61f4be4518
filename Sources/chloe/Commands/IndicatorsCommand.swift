import ArgumentParser
import Foundation
import Host
import Indicators

/// `chloe indicators`: computes indicators over a candle file.
struct IndicatorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "Compute technical indicators over a candle file.",
        discussion: """
        Reads a candle CSV (header time,open,high,low,close,volume; time in epoch ms) or a \
        freqtrade JSON candle array [[time,o,h,l,c,v],...] and prints one row per candle: \
        time, then one column per indicator output, named <indicator>_<params>[_<output>] \
        (e.g. rsi_14, macd_12_26_9_signal, bbands_20_2_upper). Cells before an indicator's \
        lookback are empty (null in JSON). Values match TA-Lib.

        Indicators: \(IndicatorCatalog.all.map { spec in
            ([spec.name] + spec.parameters.map(\.name)).joined(separator: ":")
        }.joined(separator: ", ")).

        A malformed candle file is reported with its line and column, and exit code 2.
        """
    )

    @Option(name: .long, help: ArgumentHelp("Candle file (CSV or freqtrade JSON).", valueName: "file"))
    var candles: String

    @Option(name: .long, help: ArgumentHelp(
        "Comma-separated name:param:param list, e.g. rsi:14,macd:12:26:9,bbands:20:2. Missing parameters take their defaults. Default: every indicator at its standard parameters.",
        valueName: "list"))
    var indicators: String?

    @Option(name: .long, help: "Output format: csv, or json (one object per line).")
    var format: IndicatorTable.Format = .csv

    func run() throws {
        let specs: [IndicatorSpec]
        do {
            specs = try indicators.map { list throws(IndicatorError) in try IndicatorSpec.parseList(list) } ?? IndicatorCatalog.standard
        } catch {
            throw ValidationError("--indicators: \(error)")
        }
        let series: [Candle]
        do {
            series = try CandleFile.read(path: candles)
        } catch {
            FileHandle.standardError.write(Data("chloe indicators: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let output = FileHandle.standardOutput
        do {
            try IndicatorTable(specs: specs).render(series, format: format) { output.write(Data($0.utf8)) }
        } catch {
            FileHandle.standardError.write(Data("chloe indicators: \(candles): \(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}

extension IndicatorTable.Format: ExpressibleByArgument {}
