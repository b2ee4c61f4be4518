import Foundation
import Indicators
import Testing
@testable import Scripting

/// Candles, libraries and folders for the strategy runtime tests.
enum StrategyFixtures {
    /// `count` one-minute candles on a sine wave with a slow drift, so RSI, MACD and the bands move.
    static func candles(_ count: Int, start: Int64 = 1_700_000_000_000, from index: Int = 0) -> [Candle] {
        (index..<(index + count)).map { i in
            let t = Double(i)
            let close = 100 + 8 * sin(t / 9) + 3 * sin(t / 2.3) + t * 0.01
            let open = close - 0.5 * cos(t / 3)
            return Candle(time: start + Int64(i) * 60_000, open: open, high: max(open, close) + 0.4,
                          low: min(open, close) - 0.4, close: close, volume: 100 + 50 * (1 + sin(t / 4)))
        }
    }

    /// The plugins fixture folder (`Scripts/plugins`).
    static var plugins: URL {
        Bundle.module.url(forResource: "Scripts", withExtension: nil)!.appendingPathComponent("plugins")
    }

    /// The source of `Scripts/<path>.lua`.
    static func source(_ path: String) throws -> String {
        let url = Bundle.module.url(forResource: "Scripts", withExtension: nil)!.appendingPathComponent(path + ".lua")
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// A library with no strategy folder, `plugins` as its plugin folder and tight test limits.
    static func library(plugins: URL? = StrategyFixtures.plugins, configuration: StrategyRuntimeConfiguration = testConfiguration) -> StrategyLibrary {
        StrategyLibrary(strategiesDirectory: nil, pluginsDirectory: plugins, configuration: configuration)
    }

    static let testConfiguration = StrategyRuntimeConfiguration(
        limits: LuaLimits(instructionBudget: 200_000, memoryLimit: 8 << 20, checkInterval: 100),
        faultThreshold: 3, faultWindow: 600_000)
}

/// Everything a run produced, copied out of the reused outputs.
struct Collected {
    var signals: [StrategySignal] = []
    var alerts: [StrategyAlert] = []
    var faults: [StrategyFault] = []
    var notices: [StrategyNotice] = []
    var logs: [StrategyLog] = []

    mutating func add(_ output: StrategyOutput) {
        signals += output.signals
        alerts += output.alerts
        faults += output.faults
        notices += output.notices
        logs += output.logs
    }

    func signals(_ symbol: String) -> [StrategySignal] { signals.filter { $0.symbol == symbol } }
}

extension SymbolStrategies {
    /// Feeds `candles` as closed 1m candles and collects the outputs.
    func feed(_ candles: [Candle], timeframe: String = "1m", into collected: inout Collected) {
        for candle in candles { collected.add(onCandle(timeframe: timeframe, candle: candle)) }
    }
}

/// A temporary strategies/ + plugins/ pair, removed at deinit.
final class StrategyFolders {
    let root: URL
    var strategies: URL { root.appendingPathComponent("strategies") }
    var plugins: URL { root.appendingPathComponent("plugins") }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("chloe-strategies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("strategies"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("plugins"), withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func write(strategy name: String, _ source: String) throws {
        try source.write(to: strategies.appendingPathComponent(name + ".lua"), atomically: true, encoding: .utf8)
    }

    func write(plugin name: String, _ source: String) throws {
        try source.write(to: plugins.appendingPathComponent(name + ".lua"), atomically: true, encoding: .utf8)
    }

    func delete(strategy name: String) throws {
        try FileManager.default.removeItem(at: strategies.appendingPathComponent(name + ".lua"))
    }

    func library(configuration: StrategyRuntimeConfiguration = StrategyFixtures.testConfiguration) -> StrategyLibrary {
        StrategyLibrary(strategiesDirectory: strategies, pluginsDirectory: plugins, configuration: configuration)
    }
}
