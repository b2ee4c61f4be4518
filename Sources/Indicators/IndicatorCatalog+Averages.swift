extension IndicatorCatalog {
    /// Moving averages and close-based oscillators.
    static let averagesAndOscillators: [IndicatorDefinition] = [
        IndicatorDefinition(
            name: "sma", summary: "Simple moving average of close",
            parameters: [.init("period", default: 20, "number of candles averaged")]
        ) { p throws(IndicatorError) in try SMA(period: Int(p[0])) },
    ]
}
