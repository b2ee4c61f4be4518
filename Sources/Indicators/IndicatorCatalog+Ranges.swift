extension IndicatorCatalog {
    /// Indicators of high/low range, volatility and volume.
    static let rangesAndVolume: [IndicatorDefinition] = [
        IndicatorDefinition(
            name: "trange", summary: "True range: greatest of high-low and the previous close's distances to high and low",
            parameters: []
        ) { _ throws(IndicatorError) in TrueRange() },
        IndicatorDefinition(
            name: "atr", summary: "Average true range (Wilder smoothing, seeded with the SMA of true range)",
            parameters: [.init("period", default: 14, "number of candles smoothed")]
        ) { p throws(IndicatorError) in try ATR(period: RangesSupport.integer(p[0])) },
        IndicatorDefinition(
            name: "natr", summary: "Normalized average true range: ATR / close * 100",
            parameters: [.init("period", default: 14, "number of candles smoothed")]
        ) { p throws(IndicatorError) in try NATR(period: RangesSupport.integer(p[0])) },
        IndicatorDefinition(
            name: "stoch", summary: "Slow stochastic %K and %D (SMA smoothing)",
            parameters: [
                .init("fastk", default: 14, "candles for the highest high and lowest low"),
                .init("slowk", default: 3, "SMA period smoothing raw %K into %K"),
                .init("slowd", default: 3, "SMA period smoothing %K into %D"),
            ],
            outputs: ["k", "d"]
        ) { p throws(IndicatorError) in try Stochastic(fastK: RangesSupport.integer(p[0]), slowK: RangesSupport.integer(p[1]), slowD: RangesSupport.integer(p[2])) },
        IndicatorDefinition(
            name: "adx", summary: "Average directional movement index",
            parameters: [.init("period", default: 14, "Wilder smoothing period")]
        ) { p throws(IndicatorError) in try ADX(period: RangesSupport.integer(p[0])) },
        IndicatorDefinition(
            name: "plus_di", summary: "Plus directional indicator (+DI)",
            parameters: [.init("period", default: 14, "Wilder smoothing period")]
        ) { p throws(IndicatorError) in try PlusDI(period: RangesSupport.integer(p[0])) },
        IndicatorDefinition(
            name: "minus_di", summary: "Minus directional indicator (-DI)",
            parameters: [.init("period", default: 14, "Wilder smoothing period")]
        ) { p throws(IndicatorError) in try MinusDI(period: RangesSupport.integer(p[0])) },
        IndicatorDefinition(
            name: "cci", summary: "Commodity channel index of the typical price",
            parameters: [.init("period", default: 14, "number of candles")]
        ) { p throws(IndicatorError) in try CCI(period: RangesSupport.integer(p[0])) },
        IndicatorDefinition(
            name: "willr", summary: "Williams' %R (-100...0)",
            parameters: [.init("period", default: 14, "number of candles")]
        ) { p throws(IndicatorError) in try WilliamsR(period: RangesSupport.integer(p[0])) },
        IndicatorDefinition(
            name: "mfi", summary: "Money flow index (volume-weighted RSI of the typical price)",
            parameters: [.init("period", default: 14, "number of candles")]
        ) { p throws(IndicatorError) in try MFI(period: RangesSupport.integer(p[0])) },
        IndicatorDefinition(
            name: "obv", summary: "On-balance volume of close and volume",
            parameters: []
        ) { _ throws(IndicatorError) in OBV() },
        IndicatorDefinition(
            name: "sar", summary: "Parabolic stop and reverse",
            parameters: [
                .init("acceleration", default: 0.02, integer: false, "acceleration factor step and start"),
                .init("maximum", default: 0.2, integer: false, "acceleration factor cap"),
            ]
        ) { p throws(IndicatorError) in try ParabolicSAR(acceleration: p[0], maximum: p[1]) },
        IndicatorDefinition(
            name: "aroon", summary: "Aroon down and up: recency of the lowest low and highest high",
            parameters: [.init("period", default: 14, "number of candles looked back")],
            outputs: ["down", "up"]
        ) { p throws(IndicatorError) in try Aroon(period: RangesSupport.integer(p[0])) },
        IndicatorDefinition(
            name: "donchian", summary: "Donchian channel: highest high, midpoint, lowest low",
            parameters: [.init("period", default: 20, "number of candles")],
            outputs: ["upper", "middle", "lower"],
            matchesTALib: false
        ) { p throws(IndicatorError) in try Donchian(period: RangesSupport.integer(p[0])) },
        IndicatorDefinition(
            name: "keltner", summary: "Keltner channel: EMA of close +/- multiplier x ATR",
            parameters: [
                .init("period", default: 20, "EMA period of the middle line"),
                .init("multiplier", default: 2, integer: false, "ATR multiple for the bands"),
                .init("atr_period", default: 10, "ATR period"),
            ],
            outputs: ["upper", "middle", "lower"],
            matchesTALib: false
        ) { p throws(IndicatorError) in try Keltner(period: RangesSupport.integer(p[0]), multiplier: p[1], atrPeriod: RangesSupport.integer(p[2])) },
        IndicatorDefinition(
            name: "vwap", summary: "Volume-weighted typical price: per UTC day, or rolling over `window` candles",
            parameters: [.init("window", default: 0, "rolling window in candles; absent or 0: session VWAP reset at UTC midnight")],
            matchesTALib: false,
            optionalTrailing: 1
        ) { p throws(IndicatorError) in try VWAP(window: p.isEmpty ? 0 : RangesSupport.integer(p[0])) },
    ]
}
