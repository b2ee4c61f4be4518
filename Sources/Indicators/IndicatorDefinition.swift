/// Describes one built-in indicator: its name, parameters with defaults, outputs, and how to
/// build it. The catalog of these is what `chloe indicators`, the pipeline and Lua look up.
public struct IndicatorDefinition: Sendable {
    /// One numeric parameter of an indicator.
    public struct Parameter: Sendable {
        public let name: String
        public let defaultValue: Double
        /// Integer parameters (periods) refuse fractional values.
        public let isInteger: Bool
        public let summary: String

        public init(_ name: String, default defaultValue: Double, integer: Bool = true, _ summary: String) {
            self.name = name
            self.defaultValue = defaultValue
            self.isInteger = integer
            self.summary = summary
        }
    }

    /// Lower-case name: TA-Lib's function name where TA-Lib has the indicator.
    public let name: String
    public let summary: String
    public let parameters: [Parameter]
    /// Output names in column order; a single-output indicator has `[""]`.
    public let outputs: [String]
    /// True when TA-Lib has this indicator and Chloe matches it value for value.
    public let matchesTALib: Bool
    /// Trailing parameters that may be left out of the column name when absent from the
    /// specification (only `vwap`, whose one parameter switches session -> rolling).
    public let optionalTrailing: Int
    /// Builds an instance from parameter values, one per `parameters` entry, already checked
    /// for integrality. Range checks are the indicator's own.
    public let make: @Sendable ([Double]) throws(IndicatorError) -> any CandleIndicator

    public init(
        name: String,
        summary: String,
        parameters: [Parameter],
        outputs: [String] = [""],
        matchesTALib: Bool = true,
        optionalTrailing: Int = 0,
        make: @escaping @Sendable ([Double]) throws(IndicatorError) -> any CandleIndicator
    ) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.outputs = outputs
        self.matchesTALib = matchesTALib
        self.optionalTrailing = optionalTrailing
        self.make = make
    }
}
