/// How the host proposes a position for a buy or sell signal, before the strategy's `risk`
/// rule sees it: fixed-fraction sizing from account equity and an ATR-based stop.
///
/// With an ATR value `a` on the strategy's timeframe, the stop lies `stopMultiple * a` from
/// the entry, the take-profit `takeProfitMultiple * a` on the other side, and the size is
/// `equity * riskFraction / (stopMultiple * a)`, so hitting the stop loses `riskFraction` of
/// the equity. Until the ATR has warmed up there is no stop and the size is
/// `equity * riskFraction / price`. The runtime prelude computes it per signal (only signals
/// need it), from the budget and multiples handed to it once per state.
public struct RiskPolicy: Sendable, Hashable {
    /// Account equity in the quote currency.
    public var equity: Double
    /// Fraction of the equity risked per trade (0.01 = 1 %).
    public var riskFraction: Double
    /// ATR period (candles of the strategy's timeframe).
    public var atrPeriod: Int
    /// Stop distance in ATRs.
    public var stopMultiple: Double
    /// Take-profit distance in ATRs.
    public var takeProfitMultiple: Double

    public init(equity: Double = 10_000, riskFraction: Double = 0.01, atrPeriod: Int = 14,
                stopMultiple: Double = 2, takeProfitMultiple: Double = 3) {
        self.equity = equity
        self.riskFraction = riskFraction
        self.atrPeriod = max(1, atrPeriod)
        self.stopMultiple = stopMultiple
        self.takeProfitMultiple = takeProfitMultiple
    }
}
