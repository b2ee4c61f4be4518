import Exchanges
import Foundation
import Indicators
import Logging
import Model
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Host

/// Model hot reload: a replaced model file is swapped in (ratings and `GET /model` follow), a
/// corrupt or wrong-shape one is refused, counted and the previous model keeps serving.
@Suite struct ModelReloadTests {
    /// A valid Chloe model: one stump per class on `ret_1`, whose leaves make class `favoured`
    /// the most probable whatever the candle.
    static func modelJSON(id: String, favoured: Int, featureNames: [String] = FeatureExtractor.names) -> Data {
        let trees: [[String: Any]] = (0..<5).map { k in
            let value = k == favoured ? 2.0 : -0.5
            return ["margin": k, "feature": [0, -1, -1], "threshold": [0.0, value, value * 0.9],
                    "left": [1, -1, -1], "right": [2, -1, -1], "missing_left": [1, 0, 0]]
        }
        let metrics: [String: Any] = ["accuracy": 0.4, "logloss": 1.4, "macro_f1": 0.3, "persistence_accuracy": 0.3,
                                      "prior_logloss": 1.6, "samples": 100]
        let model: [String: Any] = [
            "format": "chloe-model", "format_version": 1, "id": id, "objective": "multi:softprob", "classes": 5,
            "feature_names": featureNames, "horizon": 12, "class_quantiles": [-0.01, -0.003, 0.002, 0.009],
            "base_margins": [0.0, 0, 0, 0, 0], "trees": trees,
            "training": ["bins": 64, "depth": 1, "early_stopping": 20, "horizon": 12, "lambda": 1, "learning_rate": 0.1,
                         "min_child_weight": 1, "rounds": 1, "seed": 42, "subsample": 1, "validation_fraction": 0.2],
            "metrics": ["validation": metrics, "eval": [] as [Any]],
            "provenance": ["command": "test", "files": [] as [String], "created": "2026-11-26T00:00:00Z"],
        ]
        return try! JSONSerialization.data(withJSONObject: model, options: [.sortedKeys])
    }

    /// A fresh folder holding `model.json` (model A, favouring strong sell).
    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chloe-model-reload-\(UUID())", isDirectory: true)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try modelJSON(id: "gbt-test-a", favoured: 0).write(to: dir.appendingPathComponent("model.json"))
        return dir
    }

    static func candle(_ i: Int) -> Candle {
        let close = 100 + sin(Double(i) / 3) * 2
        return Candle(time: Int64(i) * 300_000, open: close - 0.1, high: close + 0.5, low: close - 0.5, close: close, volume: 10 + Double(i % 7))
    }

    /// Feeds warm-up candles to a symbol model of `stage` and returns it with the next candle index.
    static func warmSymbol(_ stage: NativeModelStage) -> (any SymbolModel, Int) {
        let symbol = stage.makeSymbolModel(symbol: CanonicalSymbol(base: "BTC", quote: "USDT"), exchange: .sim)
        for i in 0..<FeatureExtractor.warmUp - 1 { #expect(symbol.onCandle(candle(i), interval: .fiveMinutes) == nil) }
        return (symbol, FeatureExtractor.warmUp - 1)
    }

    #if canImport(Glibc)
    @Test func aReplacedFileIsSwappedInAndABadOneIsRefusedWhileTheOldModelServes() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("model.json").path
        let store = ModelStore(try ServingModel.load(path: path))
        let reloader = ModelReloader(store: store, path: path, logger: Logger(label: "test"))
        let stage = NativeModelStage(store: store, interval: .fiveMinutes)
        let info = LoadedModelInfo(store: store)
        let (symbol, start) = Self.warmSymbol(stage)
        var i = start
        var rating = try #require(symbol.onCandle(Self.candle(i), interval: .fiveMinutes))
        #expect(rating.version == "gbt-test-a" && rating.level == .strongSell)

        let watcher = ModelFileWatcher(reloader: reloader, debounce: .milliseconds(20))
        let (stream, continuation) = AsyncStream.makeStream(of: ModelReloader.Outcome.self)
        try watcher.start { continuation.yield($0) }
        // A watcher that never reports ends the stream (each wait then gets nil) rather than hanging.
        let watchdog = Task {
            try? await Task.sleep(for: .seconds(20))
            continuation.finish()
        }
        defer {
            watcher.stop()
            watchdog.cancel()
        }
        var outcomes = stream.makeAsyncIterator()

        // Saved the way editors and `chloe train` do: a temporary file renamed over the model.
        try Self.modelJSON(id: "gbt-test-b", favoured: 4).write(to: URL(fileURLWithPath: path), options: .atomic)
        #expect(await outcomes.next() == .loaded(version: "gbt-test-b"))
        #expect(store.current.info.id == "gbt-test-b")
        #expect(await info.modelInfo()?.version == "gbt-test-b")
        i += 1
        rating = try #require(symbol.onCandle(Self.candle(i), interval: .fiveMinutes), "no new warm-up after a swap")
        #expect(rating.version == "gbt-test-b" && rating.level == .strongBuy)

        // Written in place and cut short: refused, counted, model B keeps serving.
        try Data(#"{"format": "chloe-model", "trees": ["#.utf8).write(to: URL(fileURLWithPath: path))
        let corrupt = await outcomes.next()
        guard case .refused(let error) = corrupt else {
            Issue.record("a corrupt file was not refused: \(String(describing: corrupt))")
            return
        }
        #expect(error.source == path && error.reason.hasPrefix("not JSON"), "\(error)")
        #expect(reloader.failures == 1 && reloader.lastError == error)
        #expect(store.current.info.id == "gbt-test-b")
        i += 1
        #expect(symbol.onCandle(Self.candle(i), interval: .fiveMinutes)?.version == "gbt-test-b")

        // Valid JSON of the wrong shape (a feature this build does not compute): refused too.
        var names = FeatureExtractor.names
        names[3] = "astrology"
        try Self.modelJSON(id: "gbt-test-c", favoured: 2, featureNames: names).write(to: URL(fileURLWithPath: path), options: .atomic)
        #expect(await outcomes.next() == .refused(ModelError(
            source: path, reason: "unknown feature 'astrology'; known: \(FeatureExtractor.names.joined(separator: ", "))")))
        #expect(reloader.failures == 2)
        #expect(await info.modelInfo()?.version == "gbt-test-b")

        // A fixed file serves again and clears the error.
        try Self.modelJSON(id: "gbt-test-a", favoured: 0).write(to: URL(fileURLWithPath: path), options: .atomic)
        #expect(await outcomes.next() == .loaded(version: "gbt-test-a"))
        #expect(reloader.lastError == nil && reloader.failures == 2)
    }
    #endif

    @Test func reloadWithoutAChangeKeepsTheModelAndADeletedFileIsRefused() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("model.json").path
        let store = ModelStore(try ServingModel.load(path: path))
        let serving = store.current
        let reloader = ModelReloader(store: store, path: path, logger: Logger(label: "test"))
        #expect(reloader.reload() == .unchanged(version: "gbt-test-a"))
        #expect(store.current === serving)

        try FileManager.default.removeItem(atPath: path)
        #expect(reloader.reload() == .refused(ModelError(source: path, reason: "cannot read the file (missing or unreadable)")))
        #expect(reloader.failures == 1 && store.current === serving)
    }

    @Test func postModelReloadSwapsRefusesAndNeedsTheToken() async throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("model.json").path
        let store = ModelStore(try ServingModel.load(path: path))
        let reloader = ModelReloader(store: store, path: path, logger: Logger(label: "test"))
        let fixture = try APIFixture(model: LoadedModelInfo(store: store, reloader: reloader))
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/model/reload", method: .post) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/model/reload", method: .post, headers: APIFixture.auth) { response in
                #expect(response.status == .ok)
                #expect(response.body.json["status"] as? String == "unchanged")
            }
            try Self.modelJSON(id: "gbt-test-b", favoured: 4).write(to: URL(fileURLWithPath: path))
            try await client.execute(uri: "/model/reload", method: .post, headers: APIFixture.auth) { response in
                #expect(response.body.json["status"] as? String == "loaded")
                #expect(response.body.json["version"] as? String == "gbt-test-b")
            }
            try "{ not a model".write(toFile: path, atomically: true, encoding: .utf8)
            try await client.execute(uri: "/model/reload", method: .post, headers: APIFixture.auth) { response in
                #expect(response.status.code == 422)
                let message = (response.body.json["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(message.contains("gbt-test-b keeps serving") && message.contains(path), "\(message)")
            }
            try await client.execute(uri: "/model", method: .get) { response in
                #expect(response.body.json["version"] as? String == "gbt-test-b")
            }
        }
        #expect(reloader.failures == 1)
        let bare = try APIFixture(model: LoadedModelInfo(store: store))
        try await bare.app().test(.router) { client in
            try await client.execute(uri: "/model/reload", method: .post, headers: APIFixture.auth) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
