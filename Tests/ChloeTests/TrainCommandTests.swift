import Foundation
import Testing

@Suite struct TrainCommandTests {
    static let candles = Chloe.root.appendingPathComponent("../shared/data/candles").standardizedFileURL

    func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("chloe-train-\(UUID())-\(name)").path
    }

    @Test func trainsWritesTheModelAndTheReport() throws {
        let out = temporary("model.json")
        let report = temporary("report.json")
        let result = try Chloe.run([
            "train", "--candles", Self.candles.appendingPathComponent("ETH_BTC-5m.csv").path,
            "--eval", Chloe.sample, "--out", out, "--report", report,
            "--horizon", "6", "--rounds", "4", "--depth", "3",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("round 1/4 ["))
        #expect(result.stdout.contains("validation"))
        #expect(result.stdout.contains("eval XRP_ETH-1m.csv"))

        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as! [String: Any]
        #expect(Set(json.keys) == ["validation", "eval"])
        let metricKeys: Set = ["samples", "accuracy", "macro_f1", "logloss", "prior_logloss", "persistence_accuracy"]
        let validation = json["validation"] as! [String: Any]
        #expect(Set(validation.keys) == metricKeys)
        #expect((validation["samples"] as! Int) > 500)
        let eval = json["eval"] as! [[String: Any]]
        #expect(eval.count == 1)
        #expect(Set(eval[0].keys) == metricKeys.union(["file"]))
        #expect(eval[0]["file"] as? String == Chloe.sample)

        let model = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
        #expect(model["format"] as? String == "chloe-model")
        #expect(model["format_version"] as? Int == 1)
        #expect((model["feature_names"] as! [String]).contains("rsi_14"))
        #expect((model["class_quantiles"] as! [Double]).count == 4)
        let provenance = model["provenance"] as! [String: Any]
        #expect((provenance["command"] as! String).hasPrefix("chloe train --candles"))
        #expect((model["trees"] as! [Any]).count <= 20)
    }

    @Test func dumpsFeatureRows() throws {
        let out = temporary("features.csv")
        let result = try Chloe.run(["train", "--candles", Chloe.sample, "--dump-features", out])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines[0].hasPrefix("time,ret_1,ret_3,"))
        #expect(lines[0].hasSuffix(",book_imbalance,forward_return"))
        // 2,469 candles less 49 warm-up and 12 at the end without a forward return.
        #expect(lines.count == 1 + 2469 - 49 - 12)
    }

    @Test func badInputIsReportedWithExitCode2() throws {
        let broken = temporary("broken.csv")
        try "time,open,high,low,close,volume\n1,1,1,1,x,1\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let bad = try Chloe.run(["train", "--candles", broken, "--out", temporary("m.json")])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("\(broken):2:"))

        let short = temporary("short.csv")
        try "time,open,high,low,close,volume\n1,1,1,1,1,1\n".write(toFile: short, atomically: true, encoding: .utf8)
        let tiny = try Chloe.run(["train", "--candles", short, "--out", temporary("m.json")])
        #expect(tiny.status == 2)
        #expect(tiny.stderr.contains("training rows"))

        let usage = try Chloe.run(["train", "--candles", Chloe.sample, "--out", temporary("m.json"), "--depth", "0"])
        #expect(usage.status != 0 && usage.stderr.contains("depth must be 1...12"))
    }
}
