extension IndicatorCatalog {
    /// Indicators of high/low range, volatility and volume.
    static let rangesAndVolume: [IndicatorDefinition] = []
}
