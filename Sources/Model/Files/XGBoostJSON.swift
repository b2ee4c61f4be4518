/// The parts of XGBoost's JSON model format (`Booster.save_model("m.json")`, XGBoost 1.x to
/// 3.x) that prediction needs. Unknown fields are ignored.
struct XGBoostJSON: Decodable {
    struct Learner: Decodable {
        var feature_names: [String]?
        var gradient_booster: Booster
        var learner_model_param: ModelParam
        var objective: NamedObjective
    }

    struct ModelParam: Decodable {
        /// A number (`"5E-1"`) before XGBoost 3, a bracketed list (`"[4.7E-1]"`) since.
        var base_score: String
        var num_class: String
        var num_feature: String
        var num_target: String?
    }

    struct NamedObjective: Decodable {
        var name: String
    }

    struct Booster: Decodable {
        var name: String
        var model: GBTree?
    }

    struct GBTree: Decodable {
        var trees: [Tree]
        var tree_info: [Int]
    }

    struct Tree: Decodable {
        var left_children: [Int]
        var right_children: [Int]
        var split_indices: [Int]
        var split_conditions: [Double]
        var default_left: Flags
        var split_type: [Int]?
        var tree_param: TreeParam
    }

    struct TreeParam: Decodable {
        var num_nodes: String
        var size_leaf_vector: String?
    }

    /// `default_left` is written as 0/1 numbers, or as booleans by some versions.
    struct Flags: Decodable {
        var values: [Bool]

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let numbers = try? container.decode([Int].self) {
                values = numbers.map { $0 != 0 }
            } else {
                values = try container.decode([Bool].self)
            }
        }
    }

    var learner: Learner
    var version: [Int]?
}
