/// The uniform face of every built-in indicator, used where indicators are chosen at run
/// time (the `chloe indicators` command, the pipeline, Lua strategies).
///
/// Each indicator also has its own typed API (`SMA.update(_:)` returning `Double?`, `MACD.update(_:)`
/// returning `MACD.Value?`, ...) for code that knows what it holds.
public protocol CandleIndicator: Sendable {
    /// Number of inputs consumed before the first value: TA-Lib's lookback.
    var lookback: Int { get }
    /// Output names in column order; a single-output indicator has one empty name.
    var outputNames: [String] { get }
    /// Feeds one candle. Returns `true` once values are available (after `lookback` candles).
    /// A NaN or infinite field is rejected with an error and leaves the state unchanged.
    mutating func update(_ candle: Candle) throws(IndicatorError) -> Bool
    /// The current value of output `index`; NaN during the warm-up.
    func value(_ index: Int) -> Double
}
