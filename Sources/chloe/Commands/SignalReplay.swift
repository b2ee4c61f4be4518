import ArgumentParser
import Exchanges
import Foundation
import Host
import Indicators
import Scripting

/// `chloe replay --signal ID`: a stored signal replayed from its record — the strategy source
/// its hash names and the candles of its trigger interval that had closed when it was emitted,
/// both read from the database — to see whether the same level and reason come out.
///
/// The replay starts the strategy fresh on those candles (up to 500: its `init` state, not the
/// state the live run had built) with a healthy feed and no model; a tick-triggered signal is
/// replayed on the minute candles, so only candle signals are expected to match exactly.
struct SignalReplay {
    let id: Int64
    let dataDirectory: String
    let pluginsDirectory: String

    /// What the replay found.
    struct Outcome: Encodable {
        let id: Int64
        let strategy: String
        let strategyHash: String
        let interval: String
        let candles: Int
        let original: Signal
        /// The signal the strategy emitted on the last candle, nil when it emitted none.
        let replayed: Signal?
        /// Fields that differ (level, reason, confidence, indicators); empty when reproduced.
        let differences: [String]
        var reproduced: Bool { replayed != nil && differences.isEmpty }

        enum CodingKeys: String, CodingKey {
            case id, strategy, strategyHash, interval, candles, original, replayed, differences, reproduced
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(strategy, forKey: .strategy)
            try container.encode(strategyHash, forKey: .strategyHash)
            try container.encode(interval, forKey: .interval)
            try container.encode(candles, forKey: .candles)
            try container.encode(original, forKey: .original)
            try container.encode(replayed, forKey: .replayed)
            try container.encode(differences, forKey: .differences)
            try container.encode(reproduced, forKey: .reproduced)
        }
    }

    func run() async throws -> Outcome {
        let storage: Storage
        do {
            storage = try Storage(directory: dataDirectory)
        } catch {
            throw ValidationError("--data-dir: \(error)")
        }
        guard let explanation = try await SignalExplanation.load(id: id, from: storage) else {
            throw ValidationError("no signal with id \(id) in \(storage.path)")
        }
        let signal = explanation.signal
        guard let version = explanation.strategy else {
            throw ValidationError("signal \(id) came from \(signal.strategy) version \(signal.strategyHash.prefix(12)), whose source is not stored (a built-in strategy, or loaded before this database); it cannot be replayed")
        }
        guard let interval = CandleInterval(explanation.interval), let last = explanation.candles.last else {
            throw ValidationError("no \(explanation.interval) candles of \(signal.symbol) before signal \(id) are stored; it cannot be replayed")
        }
        guard let symbol = SymbolNames.resolve(signal.symbol, on: .sim) else {
            throw ValidationError("signal \(id) names an unknown symbol '\(signal.symbol)'")
        }
        let library = StrategyLibrary(strategiesDirectory: nil, pluginsDirectory: URL(fileURLWithPath: pluginsDirectory, isDirectory: true))
        do throws(StrategyError) {
            try library.upsert(name: version.name, source: version.source)
        } catch {
            throw ValidationError("the stored source of \(version.name) no longer loads: \(error)")
        }
        let candles = explanation.candles.map {
            RecordedCandle(time: $0.time, open: $0.open, high: $0.high, low: $0.low, close: $0.close, volume: $0.volume)
        }
        let replay = Replay(sources: [symbol: .candles(candles, intervalMilliseconds: interval.milliseconds)],
                            strategies: LuaStrategyStage(library: library),
                            configuration: PipelineConfiguration(intervals: [interval], shards: 1, publishTicks: false))
        let signals = SignalLog()
        _ = try await replay.run { record in
            if case .signal(let replayed) = record, replayed.strategy == version.name { signals.append(replayed) }
        }
        // The last candle closes when the replay ends: its signal, if any, is the one to compare.
        let replayed = signals.all.last { $0.time >= last.time }
        return Outcome(id: id, strategy: version.name, strategyHash: version.hash, interval: interval.description,
                       candles: candles.count, original: signal, replayed: replayed,
                       differences: replayed.map { Self.differences(signal, $0) } ?? ["no signal on the last candle"])
    }

    /// The decision fields where `replayed` differs from `original`.
    static func differences(_ original: Signal, _ replayed: Signal) -> [String] {
        var differences: [String] = []
        if original.level != replayed.level { differences.append("level: \(original.level.name) -> \(replayed.level.name)") }
        if original.reason != replayed.reason { differences.append("reason: '\(original.reason)' -> '\(replayed.reason)'") }
        if abs(original.confidence - replayed.confidence) > 1e-9 {
            differences.append("confidence: \(original.confidence) -> \(replayed.confidence)")
        }
        for (name, value) in original.indicators.sorted(by: { $0.name < $1.name }) {
            let other = replayed.indicators[name]
            if other == nil || abs((other ?? .nan) - value) > 1e-9 * max(1, abs(value)) {
                differences.append("indicator \(name): \(value) -> \(other.map { "\($0)" } ?? "missing")")
            }
        }
        return differences
    }
}

/// Signals collected from the replay's callback.
private final class SignalLog: @unchecked Sendable {
    private let lock = NSLock()
    private var signals: [Signal] = []

    func append(_ signal: Signal) { lock.withLock { signals.append(signal) } }
    var all: [Signal] { lock.withLock { signals } }
}
