extension IndicatorCatalog {
    /// Moving averages and close-based oscillators.
    static let averagesAndOscillators: [IndicatorDefinition] = [
        IndicatorDefinition(
            name: "sma", summary: "Simple moving average of close",
            parameters: [.init("period", default: 20, "number of candles averaged")]
        ) { p throws(IndicatorError) in try SMA(period: RangesSupport.integer(p[0])) },
        IndicatorDefinition(
            name: "ema", summary: "Exponential moving average of close, seeded with the SMA",
            parameters: [.init("period", default: 20, "number of candles; smoothing factor 2/(period+1)")]
        ) { p throws(IndicatorError) in try EMA(period: RangesSupport.integer(p[0])) },
        IndicatorDefinition(
            name: "wma", summary: "Linearly weighted moving average of close",
            parameters: [.init("period", default: 20, "number of candles; the newest weighs period, the oldest 1")]
        ) { p throws(IndicatorError) in try WMA(period: RangesSupport.integer(p[0])) },
        IndicatorDefinition(
            name: "dema", summary: "Double exponential moving average of close: 2 EMA - EMA(EMA)",
            parameters: [.init("period", default: 20, "period of each EMA")]
        ) { p throws(IndicatorError) in try DEMA(period: RangesSupport.integer(p[0])) },
        IndicatorDefinition(
            name: "tema", summary: "Triple exponential moving average of close: 3 EMA - 3 EMA2 + EMA3",
            parameters: [.init("period", default: 20, "period of each EMA")]
        ) { p throws(IndicatorError) in try TEMA(period: RangesSupport.integer(p[0])) },
        IndicatorDefinition(
            name: "rsi", summary: "Relative strength index of close (Wilder smoothing), 0...100",
            parameters: [.init("period", default: 14, "number of changes averaged")]
        ) { p throws(IndicatorError) in try RSI(period: RangesSupport.integer(p[0])) },
        IndicatorDefinition(
            name: "macd", summary: "MACD line (fast EMA - slow EMA of close), its signal EMA and the histogram",
            parameters: [
                .init("fast", default: 12, "fast EMA period"),
                .init("slow", default: 26, "slow EMA period"),
                .init("signal", default: 9, "signal EMA period"),
            ],
            outputs: ["", "signal", "hist"]
        ) { p throws(IndicatorError) in
            try MACD(fast: RangesSupport.integer(p[0]), slow: RangesSupport.integer(p[1]), signal: RangesSupport.integer(p[2]))
        },
        IndicatorDefinition(
            name: "bbands", summary: "Bollinger bands: SMA of close +/- nbdev population standard deviations",
            parameters: [
                .init("period", default: 20, "number of candles"),
                .init("nbdev", default: 2, integer: false, "band width in standard deviations"),
            ],
            outputs: ["upper", "middle", "lower"]
        ) { p throws(IndicatorError) in try BBANDS(period: RangesSupport.integer(p[0]), nbdev: p[1]) },
        IndicatorDefinition(
            name: "stddev", summary: "Population standard deviation of close, times nbdev",
            parameters: [
                .init("period", default: 20, "number of candles"),
                .init("nbdev", default: 1, integer: false, "multiplier"),
            ]
        ) { p throws(IndicatorError) in try STDDEV(period: RangesSupport.integer(p[0]), nbdev: p[1]) },
        IndicatorDefinition(
            name: "roc", summary: "Rate of change of close in percent: (close / close[period ago] - 1) * 100",
            parameters: [.init("period", default: 10, "number of candles back")]
        ) { p throws(IndicatorError) in try ROC(period: RangesSupport.integer(p[0])) },
        IndicatorDefinition(
            name: "mom", summary: "Momentum of close: close - close[period ago]",
            parameters: [.init("period", default: 10, "number of candles back")]
        ) { p throws(IndicatorError) in try MOM(period: RangesSupport.integer(p[0])) },
        IndicatorDefinition(
            name: "stochrsi", summary: "Stochastic RSI: where RSI sits in its recent range (k, 0...100) and its SMA (d)",
            parameters: [
                .init("period", default: 14, "RSI period"),
                .init("fastk", default: 5, "number of RSI values in the range"),
                .init("fastd", default: 3, "SMA period of d"),
            ],
            outputs: ["k", "d"]
        ) { p throws(IndicatorError) in
            try STOCHRSI(period: RangesSupport.integer(p[0]), fastK: RangesSupport.integer(p[1]), fastD: RangesSupport.integer(p[2]))
        },
        IndicatorDefinition(
            name: "linearreg_slope", summary: "Slope of the least-squares line through close, in price per candle",
            parameters: [.init("period", default: 14, "number of candles fitted")]
        ) { p throws(IndicatorError) in try LINEARREG_SLOPE(period: RangesSupport.integer(p[0])) },
    ]
}
