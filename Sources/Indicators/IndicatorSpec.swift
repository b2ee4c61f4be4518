/// A chosen indicator with its parameter values, written `name:param:param` (e.g. `macd:12:26:9`).
/// Missing trailing parameters take their defaults.
public struct IndicatorSpec: Sendable {
    public let definition: IndicatorDefinition
    /// One value per parameter of the definition that is in effect.
    public let values: [Double]

    init(definition: IndicatorDefinition, values: [Double]) {
        self.definition = definition
        self.values = values
    }

    /// Parses one `name:param:param` specification.
    public init(parsing text: String) throws(IndicatorError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
        guard let name = parts.first, !name.isEmpty else { throw .badSpecification(text, reason: "no indicator name") }
        guard let definition = IndicatorCatalog.definition(named: name) else {
            throw .unknownIndicator(name, known: IndicatorCatalog.all.map(\.name))
        }
        let given = parts.dropFirst()
        guard given.count <= definition.parameters.count else {
            let names = definition.parameters.map(\.name).joined(separator: ":")
            throw .badSpecification(text, reason: "\(definition.name) takes at most \(definition.parameters.count) parameters (\(names.isEmpty ? "none" : names))")
        }
        var values: [Double] = []
        for (parameter, raw) in zip(definition.parameters, given) {
            guard let value = Double(raw), value.isFinite else {
                throw .badSpecification(text, reason: "parameter \(parameter.name) = '\(raw)' is not a number")
            }
            if parameter.isInteger, value.rounded() != value {
                throw .badSpecification(text, reason: "parameter \(parameter.name) = \(raw) must be a whole number")
            }
            values.append(value)
        }
        // Optional trailing parameters (vwap's window) have no default: they stay absent.
        let required = definition.parameters.count - definition.optionalTrailing
        for parameter in definition.parameters[values.count..<max(values.count, required)] {
            values.append(parameter.defaultValue)
        }
        self.init(definition: definition, values: values)
    }

    /// Parses a comma-separated list, e.g. `rsi:14,macd:12:26:9,bbands:20:2`.
    public static func parseList(_ text: String) throws(IndicatorError) -> [IndicatorSpec] {
        var specs: [IndicatorSpec] = []
        for item in text.split(separator: ",") where !item.trimmingWhitespace().isEmpty {
            specs.append(try IndicatorSpec(parsing: String(item)))
        }
        guard !specs.isEmpty else { throw .badSpecification(text, reason: "no indicator given") }
        return specs
    }

    /// `<name>_<params joined by _>`, e.g. `macd_12_26_9`.
    public var baseName: String {
        ([definition.name] + values.map(Self.format)).joined(separator: "_")
    }

    /// One column name per output: the base name, plus `_<output>` for named outputs.
    public var columnNames: [String] {
        definition.outputs.map { $0.isEmpty ? baseName : "\(baseName)_\($0)" }
    }

    /// A fresh indicator instance.
    public func makeIndicator() throws(IndicatorError) -> any CandleIndicator {
        try definition.make(values)
    }

    /// Shortest text for a parameter: `14`, `2`, `0.02`.
    public static func format(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}

extension Substring {
    func trimmingWhitespace() -> String {
        var s = self[...]
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
