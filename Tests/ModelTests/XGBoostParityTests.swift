import Foundation
import Testing
@testable import Model

/// Chloe's predictions for models trained by the python `xgboost` package equal XGBoost's own
/// (fixtures written by scripts/xgboost_reference.py).
@Suite struct XGBoostParityTests {
    func check(model name: String, predictions: String, objective: Objective) throws {
        let model = try ServingModel.load(path: TestData.fixture(name).path)
        #expect(model.info.kind == .xgboost)
        #expect(model.ensemble.objective == objective)
        let features = try TestData.table("xgb-features.csv", header: true)
        let expected = try TestData.table(predictions, header: false).rows
        #expect(features.rows.count == expected.count && expected.count > 1000)
        #expect(features.names == model.info.featureNames)
        // The model names its features; serving passes the extractor's vector, in its order.
        let order = features.names.map { FeatureExtractor.names.firstIndex(of: $0)! }
        var worst = 0.0
        for (row, want) in zip(features.rows, expected) {
            var vector = [Double](repeating: .nan, count: FeatureExtractor.count)
            for (c, value) in row.enumerated() { vector[order[c]] = value }
            let p = model.ensemble.predict(vector)
            let got = objective == .logistic ? [p[1]] : p
            for (a, b) in zip(got, want) { worst = max(worst, abs(a - b)) }
        }
        #expect(worst <= 1e-6, "largest difference from XGBoost: \(worst)")
    }

    @Test func multiSoftprobMatchesXGBoost() throws {
        try check(model: "xgb-multi.json", predictions: "xgb-multi-predictions.csv", objective: .softmax)
    }

    @Test func binaryLogisticMatchesXGBoost() throws {
        try check(model: "xgb-binary.json", predictions: "xgb-binary-predictions.csv", objective: .logistic)
    }

    func loadError(_ edit: (inout [String: Any]) -> Void) throws -> String {
        let data = try Data(contentsOf: TestData.fixture("xgb-binary.json"))
        var json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        edit(&json)
        let edited = try JSONSerialization.data(withJSONObject: json)
        do {
            _ = try ServingModel.load(edited, source: "bad.json")
            return "loaded"
        } catch {
            return error.description
        }
    }

    func editLearner(_ json: inout [String: Any], _ edit: (inout [String: Any]) -> Void) {
        var learner = json["learner"] as! [String: Any]
        edit(&learner)
        json["learner"] = learner
    }

    @Test func badModelsAreRefusedWithTheReason() throws {
        #expect(try loadError { editLearner(&$0) { $0["feature_names"] = [] } }.contains("does not name its features"))
        #expect(try loadError { editLearner(&$0) { l in
            var names = l["feature_names"] as! [String]
            names[0] = "moon_phase"
            l["feature_names"] = names
        } }.contains("unknown feature 'moon_phase'"))
        #expect(try loadError { editLearner(&$0) { l in
            var objective = l["objective"] as! [String: Any]
            objective["name"] = "reg:squarederror"
            l["objective"] = objective
        } }.contains("objective 'reg:squarederror' is not supported"))
        #expect(try loadError { editLearner(&$0) { $0["gradient_booster"] = ["name": "gblinear"] } }.contains("booster 'gblinear' is not supported"))
        #expect(try loadError { editLearner(&$0) { $0.removeValue(forKey: "learner_model_param") } }.contains("missing field 'learner_model_param'"))
        #expect(try loadError { $0 = ["hello": 1] }.contains("neither a Chloe model"))
        #expect(throws: ModelError.self) { try ServingModel.load(Data("{not json".utf8), source: "x.json") }
    }
}
