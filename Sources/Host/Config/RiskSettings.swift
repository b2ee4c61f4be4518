/// `risk`: the defaults of the position-size proposal strategies may change.
public struct RiskSettings: Sendable, Hashable {
    /// Account equity the size is computed from, quote currency.
    public var equity: Double = 10_000
    /// Fraction of equity risked per position (0.01 = 1%).
    public var riskFraction: Double = 0.01
    /// Stop distance in ATRs.
    public var atrStopMultiple: Double = 2
    /// Take-profit distance as a multiple of the stop distance.
    public var rewardRiskRatio: Double = 2

    public init() {}

    init(reading node: ConfigNode) throws {
        try node.expectKeys(["equity", "risk_fraction", "atr_stop_multiple", "reward_risk_ratio"])
        equity = try node.child("equity").double(equity, in: 0...1e15)
        riskFraction = try node.child("risk_fraction").double(riskFraction, in: 0...1)
        atrStopMultiple = try node.child("atr_stop_multiple").double(atrStopMultiple, in: 0.01...100)
        rewardRiskRatio = try node.child("reward_risk_ratio").double(rewardRiskRatio, in: 0.01...100)
    }
}
