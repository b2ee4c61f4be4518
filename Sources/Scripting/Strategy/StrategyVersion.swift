/// One loaded, validated version of a strategy: its source, the plugin sources it requires
/// (captured with it, so every symbol runs the same code), and what validation found.
public struct StrategyVersion: Sendable, Hashable {
    /// The strategy's name (its file name without `.lua`).
    public let name: String
    /// The chunk name errors point into, e.g. `rsi_reversion.lua`.
    public let fileName: String
    public let source: String
    /// SHA-256 (hex) of `source`.
    public let hash: String
    /// `source` compiled once, so each symbol's state loads it without parsing it again.
    let bytecode: LuaBytecode
    /// Counts up with every successful load of this strategy (1, 2, ...).
    public let number: Int
    /// Unique across the library (live, shadow and rolled-back versions alike).
    public let serial: Int
    /// Plugin name -> source, for every plugin the strategy requires (directly or not).
    public let plugins: [String: String]
    /// Those plugins compiled once (sorted by name), so each symbol's state loads them without
    /// parsing them again. Empty for the provisional version validation runs (it loads sources).
    let pluginBytecode: [PluginBytecode]
    /// What the strategy declares.
    public let manifest: StrategyManifest
}

/// What a strategy table declares, as found by validation.
public struct StrategyManifest: Sendable, Hashable {
    /// The candle interval its indicators and `on_candle` follow (`1m` by default).
    public var timeframe: String
    /// Parameter defaults.
    public var params: [String: StrategyParameter]
    /// Indicator key -> `name:param:param`, e.g. `rsi` -> `rsi:14`.
    public var indicators: [String: String]
    /// Alert names, sorted.
    public var alerts: [String]
    public var hasOnCandle: Bool
    public var hasOnTick: Bool
    public var hasRisk: Bool
    /// Plugins it requires, sorted.
    public var requires: [String]
}

/// One plugin compiled for a version (chunk name `plugins/<name>.lua`).
struct PluginBytecode: Sendable, Hashable {
    let name: String
    let bytecode: LuaBytecode
}
