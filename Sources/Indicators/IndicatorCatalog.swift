/// Every built-in indicator, looked up by name.
///
/// Entries are grouped by family, one `IndicatorCatalog+Family.swift` file each.
public enum IndicatorCatalog {
    /// All definitions, in documentation order.
    public static let all: [IndicatorDefinition] = averagesAndOscillators + rangesAndVolume

    /// The definition named `name` (case-insensitive), or nil.
    public static func definition(named name: String) -> IndicatorDefinition? {
        let key = name.lowercased()
        return all.first { $0.name == key }
    }

    /// What `chloe indicators` computes without `--indicators`: every built-in at its
    /// standard parameters.
    public static var standard: [IndicatorSpec] {
        all.map { IndicatorSpec(definition: $0, values: $0.parameters.map(\.defaultValue)) }
    }
}
