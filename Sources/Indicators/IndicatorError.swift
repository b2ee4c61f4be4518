/// Why an indicator refused a parameter, a specification or an input.
public struct IndicatorError: Error, Sendable, Equatable, CustomStringConvertible {
    enum Kind: Sendable, Equatable {
        case nonFiniteInput(field: String, value: Double)
        case invalidParameter(indicator: String, parameter: String, value: String, reason: String)
        case unknownIndicator(name: String, known: [String])
        case badSpecification(spec: String, reason: String)
    }

    let kind: Kind

    init(_ kind: Kind) { self.kind = kind }

    /// An input value was NaN or infinite; the indicator's state is unchanged.

    public static func nonFiniteInput(field: String, value: Double) -> IndicatorError {
        IndicatorError(.nonFiniteInput(field: field, value: value))
    }

    /// A parameter is out of its valid range.
    public static func invalidParameter(indicator: String, parameter: String, value: some CustomStringConvertible, reason: String) -> IndicatorError {
        IndicatorError(.invalidParameter(indicator: indicator, parameter: parameter, value: value.description, reason: reason))
    }

    /// No indicator has this name.
    public static func unknownIndicator(_ name: String, known: [String]) -> IndicatorError {
        IndicatorError(.unknownIndicator(name: name, known: known))
    }

    /// A `name:param:param` specification could not be read.
    public static func badSpecification(_ spec: String, reason: String) -> IndicatorError {
        IndicatorError(.badSpecification(spec: spec, reason: reason))
    }

    public var description: String {
        switch kind {
        case let .nonFiniteInput(field, value):
            return "input \(field) is \(value); indicators accept finite numbers only (the value was not applied)"
        case let .invalidParameter(indicator, parameter, value, reason):
            return "\(indicator): parameter \(parameter) = \(value) is invalid: \(reason)"
        case let .unknownIndicator(name, known):
            return "unknown indicator '\(name)'; known: \(known.joined(separator: ", "))"
        case let .badSpecification(spec, reason):
            return "bad indicator specification '\(spec)': \(reason)"
        }
    }
}
