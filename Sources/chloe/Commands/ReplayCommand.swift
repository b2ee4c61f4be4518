import ArgumentParser
import Exchanges
import Foundation
import Host
import Indicators
import Scripting

/// `chloe replay`: recorded candles or trades through the live pipeline, as fast as possible.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Run a strategy over recorded candles or trades through the live pipeline, as fast as possible.",
        discussion: """
        The file is played by the simulated exchange (candles become four trades each: open, \
        the nearer extreme, the other extreme, close) into the same pipeline the daemon runs: \
        candle building, model, strategy, signal and alert records. Every signal and alert is \
        printed as it is made, then a summary. JSON lines carry a "type" (signal, alert, \
        strategy_error, summary) and the record's fields with snake_case keys.

        The symbol is taken from the file name (XRP_ETH-1m.csv is XRP/ETH) unless --symbol is given.
        A malformed file is reported with its line and column, and exit code 2.

        --signal ID replays a signal the daemon stored (in --data-dir) from its record: the \
        strategy source its hash names and the candles of its trigger interval that had closed \
        when it was emitted (up to 500), both from the database, started fresh (no model, a \
        healthy feed). It prints the original and the replayed signal with their differences; \
        exit code 0 when the level, reason, confidence and indicator values are reproduced, 1 \
        when not.
        """
    )

    @Option(help: ArgumentHelp("Candle file (CSV or freqtrade JSON).", valueName: "file"))
    var candles: String?

    @Option(help: ArgumentHelp("Trade CSV file (time,id,side,price,amount).", valueName: "file"))
    var trades: String?

    @Option(help: ArgumentHelp(
        "The strategy: a Lua file, or builtin:threshold[:period[:band[:interval|tick]]] (default period 20, band 0.001, interval 1m).",
        valueName: "file"))
    var strategy: String?

    @Option(help: ArgumentHelp("Replay the stored signal with this id (from GET /signals/history) instead of a file.", valueName: "id"))
    var signal: Int64?

    @Option(help: ArgumentHelp("With --signal: the daemon's data folder.", valueName: "dir"))
    var dataDir = "data"

    @Option(help: ArgumentHelp("With --signal: the plugins folder the strategy may require from.", valueName: "dir"))
    var pluginsDir = "plugins"

    @Option(help: "Symbol of the data, BASE/QUOTE (default: from the file name).")
    var symbol: String?

    @Option(help: "Candle intervals to build, comma-separated.")
    var intervals: String = "1m,5m,15m,1h"

    @Option(help: "Output: json (one object per line) or table.")
    var format: Format = .json

    enum Format: String, ExpressibleByArgument {
        case json
        case table
    }

    func validate() throws {
        if let signal {
            guard candles == nil, trades == nil, strategy == nil else {
                throw ValidationError("--signal replays a stored signal with its own strategy and candles; drop --candles, --trades and --strategy")
            }
            guard signal > 0 else { throw ValidationError("--signal: the id must be positive") }
            return
        }
        guard (candles == nil) != (trades == nil) else { throw ValidationError("give exactly one of --candles FILE and --trades FILE") }
        guard strategy != nil else { throw ValidationError("--strategy FILE is required (a Lua file or builtin:threshold)") }
    }

    func run() async throws {
        if let signal {
            let outcome = try await SignalReplay(id: signal, dataDirectory: dataDir, pluginsDirectory: pluginsDir).run()
            ReplayPrinter(format: format).signalReplay(outcome)
            if !outcome.reproduced { throw ExitCode(1) }
            return
        }
        guard let strategy else { throw ValidationError("--strategy FILE is required") }
        let path = candles ?? trades!
        guard let name = symbol ?? ReplaySources.symbol(forFile: path).map(\.description),
              let canonical = SymbolNames.resolve(name, on: .sim) else {
            throw ValidationError("cannot tell the symbol from '\(path)'; name the file BASE_QUOTE-….csv or give --symbol BASE/QUOTE")
        }
        var parsedIntervals: [CandleInterval] = []
        for text in intervals.split(separator: ",") {
            guard let interval = CandleInterval(String(text).trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--intervals: '\(text)' is not an interval (1m, 5m, 1h, 1d, ...)")
            }
            parsedIntervals.append(interval)
        }
        let stage = try ReplayStrategyLoader.load(strategy)
        let source: SimulatedSource
        do {
            source = try candles.map { path throws in try ReplaySources.candles(path: path) } ?? ReplaySources.trades(path: path)
        } catch {
            FileHandle.standardError.write(Data("chloe replay: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let configuration = PipelineConfiguration(intervals: parsedIntervals, shards: 1, publishTicks: false)
        let replay = Replay(sources: [canonical: source], strategies: stage, configuration: configuration)
        let printer = ReplayPrinter(format: format)
        printer.header()
        let summary = try await replay.run { printer.print($0) }
        printer.summary(summary)
    }
}

/// The one place where `--strategy` becomes the pipeline's strategy stage.
enum ReplayStrategyLoader {
    static func load(_ spec: String) throws -> any StrategyStage {
        if spec.hasPrefix("builtin:") { return try builtin(String(spec.dropFirst("builtin:".count))) }
        guard let data = FileManager.default.contents(atPath: spec) else { throw ValidationError("--strategy: cannot read '\(spec)'") }
        let url = URL(fileURLWithPath: spec)
        let name = url.deletingPathExtension().lastPathComponent
        let plugins = url.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("plugins", isDirectory: true)
        let library = StrategyLibrary(strategiesDirectory: nil,
                                      pluginsDirectory: FileManager.default.fileExists(atPath: plugins.path) ? plugins
                                          : URL(fileURLWithPath: "plugins", isDirectory: true))
        do throws(StrategyError) {
            try library.upsert(name: name, source: String(decoding: data, as: UTF8.self))
        } catch {
            throw ValidationError("--strategy: \(error)")
        }
        return LuaStrategyStage(library: library)
    }

    /// `threshold[:period[:band[:interval|tick]]]`.
    private static func builtin(_ text: String) throws -> any StrategyStage {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.first == "threshold", parts.count <= 4 else {
            throw ValidationError("--strategy: unknown built-in '\(text)'; the built-in is threshold[:period[:band[:interval|tick]]]")
        }
        var rule = ThresholdStrategy()
        if parts.count > 1 {
            guard let period = Int(parts[1]), period > 0 else { throw ValidationError("--strategy: period '\(parts[1])' must be a positive integer") }
            rule.period = period
        }
        if parts.count > 2 {
            guard let band = Double(parts[2]), band >= 0, band.isFinite else { throw ValidationError("--strategy: band '\(parts[2])' must be a number >= 0") }
            rule.band = band
        }
        if parts.count > 3 {
            if parts[3] == "tick" {
                rule.trigger = .tick
            } else {
                guard let interval = CandleInterval(parts[3]) else { throw ValidationError("--strategy: '\(parts[3])' is not an interval or tick") }
                rule.trigger = .candle(interval)
            }
        }
        return rule
    }
}
