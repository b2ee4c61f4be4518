import ArgumentParser
import Foundation
import Host
import Indicators
import Model
import Scripting

/// `chloe check FILE.lua`: validates a strategy and runs it over a candle series.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a Lua strategy: load it in the sandbox, validate it, run it over sample candles.",
        discussion: """
        Loads the strategy the way the daemon does (sandbox, instruction budget, memory cap, \
        require from the plugins folder only), validates its table (unknown fields, wrong \
        types, unknown indicators, bad params), then feeds it every candle of --candles as \
        closed candles of its timeframe, calling on_candle, then on_tick at the close price. \
        Prints the signals per level and the alerts it fired (exit 0), or every error with its \
        file and line (exit 1).
        """
    )

    @Argument(help: ArgumentHelp("The strategy file.", valueName: "file.lua"))
    var file: String

    @Option(name: .long, help: ArgumentHelp("Candle file (CSV or freqtrade JSON).", valueName: "file"))
    var candles: String = "samples/candles/XRP_ETH-1m.csv"

    @Option(name: .long, help: ArgumentHelp("Plugins folder (default: ../plugins beside the strategy's folder, else ./plugins).", valueName: "dir"))
    var plugins: String?

    @Option(name: .long, help: "Symbol the strategy sees.")
    var symbol: String = "XRP/ETH"

    @Option(name: .customLong("param"), help: ArgumentHelp("Parameter override name=value (repeatable).", valueName: "name=value"))
    var params: [String] = []

    func run() throws {
        let url = URL(fileURLWithPath: file)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            fail("cannot read \(file)")
        }
        let name = url.deletingPathExtension().lastPathComponent
        let library = StrategyLibrary(strategiesDirectory: nil, pluginsDirectory: pluginsFolder(for: url))
        let version: StrategyVersion
        do {
            version = try library.upsert(name: name, source: String(decoding: data, as: UTF8.self))
        } catch {
            fail(error.description)
        }
        let series: [Candle]
        do {
            series = try CandleFile.read(path: candles)
        } catch {
            fail("\(error)")
        }
        let view = MarketView(symbol: symbol, exchange: "sample")
        let runner = SymbolStrategies(library: library, view: view, parameterOverrides: [name: try overrides()])
        var tally = Tally()
        let timeframe = version.manifest.timeframe
        for candle in series {
            tally.add(runner.onCandle(timeframe: timeframe, candle: candle))
            if version.manifest.hasOnTick { tally.add(runner.onTick()) }
        }
        let manifest = version.manifest
        print("\(version.fileName): ok, sha256 \(version.hash.prefix(12)), timeframe \(timeframe)")
        print("  params: \(manifest.params.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
        print("  indicators: \(manifest.indicators.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
        if !manifest.requires.isEmpty { print("  requires: \(manifest.requires.joined(separator: ", "))") }
        print("candles: \(series.count) from \(candles)")
        print("signals: \(tally.signals) (" + RatingLevel.allCases.reversed().map { "\($0.name) \(tally.levels[$0, default: 0])" }.joined(separator: ", ") + ")")
        print("vetoed by risk: \(tally.vetoed)")
        let alertList = tally.alerts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print("alerts: \(tally.alerts.values.reduce(0, +))" + (alertList.isEmpty ? "" : " (\(alertList))"))
        print("log lines: \(tally.logs)")
        if !tally.faults.isEmpty {
            for fault in tally.faults.prefix(10) {
                FileHandle.standardError.write(Data("\(fault.file ?? version.fileName):\(fault.line.map(String.init) ?? "?"): \(fault.message)\n".utf8))
            }
            fail("\(tally.faults.count) call(s) failed" + (tally.parked ? "; the strategy was parked" : ""))
        }
    }

    private func pluginsFolder(for url: URL) -> URL? {
        if let plugins { return URL(fileURLWithPath: plugins) }
        let beside = url.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("plugins")
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: beside.path, isDirectory: &isDirectory), isDirectory.boolValue { return beside }
        return URL(fileURLWithPath: "plugins")
    }

    private func overrides() throws -> [String: StrategyParameter] {
        var values: [String: StrategyParameter] = [:]
        for item in params {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw ValidationError("--param \(item): expected name=value")
            }
            let key = String(item[..<equals])
            let raw = String(item[item.index(after: equals)...])
            if let number = Double(raw) { values[key] = .number(number) }
            else if raw == "true" || raw == "false" { values[key] = .boolean(raw == "true") }
            else { values[key] = .string(raw) }
        }
        return values
    }

    private func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("chloe check: \(message)\n".utf8))
        Foundation.exit(1)
    }
}

/// What a check run produced.
private struct Tally {
    var signals = 0
    var levels: [RatingLevel: Int] = [:]
    var vetoed = 0
    var alerts: [String: Int] = [:]
    var faults: [StrategyFault] = []
    var logs = 0
    var parked = false

    mutating func add(_ output: StrategyOutput) {
        for signal in output.signals {
            signals += 1
            levels[signal.level, default: 0] += 1
            if signal.risk?.vetoed == true { vetoed += 1 }
        }
        for alert in output.alerts { alerts["\(alert.name) [\(alert.severity.rawValue)]", default: 0] += 1 }
        faults += output.faults
        logs += output.logs.count
        if output.notices.contains(where: { $0.kind == .parked }) { parked = true }
    }
}
