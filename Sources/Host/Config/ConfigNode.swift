import Foundation
import Yams

/// One position in the configuration tree while it is read: the YAML node there (nil when the key
/// is absent or null), its key path and where it came from.
///
/// An environment variable named `CHLOE_` + the key path in upper snake case (`CHLOE_API_PORT` for
/// `api.port`) replaces the value at that key, at any level; its text is read as YAML, so
/// `CHLOE_API_CORS_ORIGINS='[https://a.example]'` and `CHLOE_API_PORT=9000` both work. List elements
/// have no variable of their own: override the whole list.
struct ConfigNode {
    let node: Node?
    let keyPath: String
    /// The environment variable for this key, nil inside list elements.
    let variable: String?
    let file: String
    let environment: [String: String]
    /// Set when this value (or an ancestor) came from the environment.
    let overriddenBy: String?

    /// The root of `document` read from `file`.
    static func root(_ document: Node?, file: String, environment: [String: String]) throws -> ConfigNode {
        let root = ConfigNode(node: document, keyPath: "", variable: "CHLOE", file: file,
                              environment: environment, overriddenBy: nil)
        return root
    }

    /// Where this value came from, for error messages.
    var location: String {
        if let overriddenBy { return "environment \(overriddenBy)" }
        if let mark = node?.mark { return "\(file):\(mark.line):\(mark.column)" }
        return file
    }

    /// Whether the key has a (non-null) value.
    var isPresent: Bool { node != nil }

    func error(_ message: String) -> ConfigurationError {
        ConfigurationError(keyPath: keyPath, location: location, message: message)
    }

    /// The value at `key`: from its environment variable when set, else from this mapping.
    func child(_ key: String) throws -> ConfigNode {
        let path = keyPath.isEmpty ? key : "\(keyPath).\(key)"
        let name = variable.map { "\($0)_\(key.uppercased().replacingOccurrences(of: "-", with: "_"))" }
        if let name, let text = environment[name] {
            let parsed: Node?
            do {
                parsed = try Yams.compose(yaml: text) ?? Node("")
            } catch {
                throw ConfigurationError(keyPath: path, location: "environment \(name)",
                                         message: "not valid YAML: \(Self.firstLine(of: error))")
            }
            return ConfigNode(node: Self.nonNull(parsed), keyPath: path, variable: name, file: file,
                              environment: environment, overriddenBy: name)
        }
        let value: Node?
        if let node {
            guard case .mapping(let mapping) = node else { throw error("expected a mapping with key '\(key)'") }
            value = mapping[key]
        } else {
            value = nil
        }
        return ConfigNode(node: Self.nonNull(value), keyPath: path, variable: name, file: file,
                          environment: environment, overriddenBy: overriddenBy)
    }

    /// Fails when this mapping has a key outside `keys` (a typo would otherwise be ignored silently).
    func expectKeys(_ keys: Set<String>) throws {
        guard let node else { return }
        guard case .mapping(let mapping) = node else { throw error("expected a mapping") }
        for key in mapping.keys {
            let name = key.string ?? "\(key)"
            if !keys.contains(name) {
                let at = key.mark.map { "\(file):\($0.line):\($0.column)" } ?? location
                let path = keyPath.isEmpty ? name : "\(keyPath).\(name)"
                throw ConfigurationError(keyPath: path, location: overriddenBy.map { "environment \($0)" } ?? at,
                                         message: "unknown key; expected one of \(keys.sorted().joined(separator: ", "))")
            }
        }
    }

    func string(_ fallback: String) throws -> String {
        try optionalString() ?? fallback
    }

    func optionalString() throws -> String? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node else { throw error("expected a text value") }
        return scalar.string
    }

    func int(_ fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let node else { return fallback }
        guard case .scalar = node, let value = node.int else { throw error("expected a whole number, got '\(Self.text(node))'") }
        guard range.contains(value) else { throw error("\(value) is out of range \(range.lowerBound)...\(range.upperBound)") }
        return value
    }

    /// A whole number in `range`, or nil for the word `word` (`off`, `auto`); `fallback` when
    /// absent. Anything else is refused as not being `expected`.
    func int(_ fallback: Int?, in range: ClosedRange<Int>, orWord word: String, expected: String) throws -> Int? {
        guard let node else { return fallback }
        if case .scalar(let scalar) = node, scalar.string == word { return nil }
        guard case .scalar = node, node.int != nil else { throw error("expected \(expected)") }
        return try int(range.lowerBound, in: range)
    }

    func double(_ fallback: Double, in range: ClosedRange<Double>) throws -> Double {
        guard let node else { return fallback }
        guard case .scalar = node, let value = node.float ?? node.int.map(Double.init), value.isFinite else {
            throw error("expected a number, got '\(Self.text(node))'")
        }
        guard range.contains(value) else { throw error("\(value) is out of range \(range.lowerBound)...\(range.upperBound)") }
        return value
    }

    func bool(_ fallback: Bool) throws -> Bool {
        guard let node else { return fallback }
        guard case .scalar = node, let value = node.bool else { throw error("expected true or false, got '\(Self.text(node))'") }
        return value
    }

    /// A list of text values; from the environment a plain comma-separated value also works.
    func stringList(_ fallback: [String]) throws -> [String] {
        guard let node else { return fallback }
        if case .scalar(let scalar) = node, overriddenBy != nil {
            return scalar.string.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return try list(fallback) { try $0.string("") }
    }

    /// A list whose elements are read by `element`.
    func list<Element>(_ fallback: [Element], _ element: (ConfigNode) throws -> Element) throws -> [Element] {
        guard let node else { return fallback }
        guard case .sequence(let sequence) = node else { throw error("expected a list") }
        return try sequence.enumerated().map { index, item in
            try element(ConfigNode(node: Self.nonNull(item), keyPath: "\(keyPath)[\(index)]", variable: nil, file: file,
                                   environment: environment, overriddenBy: overriddenBy))
        }
    }

    /// The entries of a mapping with free keys (strategy names, symbols), in file order.
    func entries() throws -> [(key: String, value: ConfigNode)] {
        guard let node else { return [] }
        guard case .mapping(let mapping) = node else { throw error("expected a mapping") }
        return mapping.map { key, value in
            let name = key.string ?? "\(key)"
            return (name, ConfigNode(node: Self.nonNull(value), keyPath: keyPath.isEmpty ? name : "\(keyPath).\(name)",
                                     variable: nil, file: file, environment: environment, overriddenBy: overriddenBy))
        }
    }

    /// A scalar as a parameter value (number, bool or text).
    func parameter() throws -> ParameterValue {
        guard let node, case .scalar(let scalar) = node else { throw error("expected a number, true/false or text") }
        if let int = node.int { return .number(Double(int)) }
        if let double = node.float { return .number(double) }
        if let bool = node.bool { return .bool(bool) }
        return .text(scalar.string)
    }

    private static func nonNull(_ node: Node?) -> Node? {
        guard let node else { return nil }
        if case .scalar = node, node.null != nil { return nil }
        return node
    }

    private static func text(_ node: Node) -> String {
        if case .scalar(let scalar) = node { return scalar.string }
        return "a \(node.isMapping ? "mapping" : "list")"
    }

    static func firstLine(of error: any Error) -> String {
        String(describing: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
    }
}

private extension Node {
    var isMapping: Bool {
        if case .mapping = self { return true }
        return false
    }
}
