/// Settings shared by every strategy instance of a library.
public struct StrategyRuntimeConfiguration: Sendable, Equatable {
    /// Instruction budget and memory cap for each (strategy, symbol) state. The budget is
    /// metered after the watchdog's time slice by default (``LuaLimits/Metering``), so a
    /// callback that finishes within it runs without Lua's instruction hook.
    public var limits: LuaLimits
    /// The default position proposal handed to `risk`.
    public var risk: RiskPolicy
    /// Faults within ``faultWindow`` that park a strategy on a symbol.
    public var faultThreshold: Int
    /// Milliseconds of event time over which faults are counted.
    public var faultWindow: Int64
    /// Shadow differences kept per (strategy, symbol).
    public var recentShadowDifferences: Int

    public init(limits: LuaLimits = LuaLimits(instructionBudget: 1_000_000, memoryLimit: 16 << 20),
                risk: RiskPolicy = RiskPolicy(), faultThreshold: Int = 3, faultWindow: Int64 = 600_000,
                recentShadowDifferences: Int = 32) {
        self.limits = limits
        self.risk = risk
        self.faultThreshold = faultThreshold
        self.faultWindow = faultWindow
        self.recentShadowDifferences = recentShadowDifferences
    }
}
