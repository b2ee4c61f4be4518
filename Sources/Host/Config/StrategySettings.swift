/// `strategies`: where strategies and plugins live, their parameters and limits.
public struct StrategySettings: Sendable, Hashable {
    /// Folder of strategy files (`*.lua`), watched for changes.
    public var dir: String = "strategies"
    /// Folder `require` resolves modules in.
    public var pluginsDir: String = "plugins"
    /// Parameter overrides by strategy name.
    public var params: [String: StrategyParameters] = [:]
    /// Instructions one strategy call may run.
    public var instructionLimit: Int = 1_000_000
    /// Memory one strategy state may hold, bytes.
    public var memoryLimitBytes: Int = 16 << 20
    /// Faults in a row after which a strategy is parked for the symbol.
    public var maxConsecutiveFaults: Int = 5

    public init() {}

    init(reading node: ConfigNode) throws {
        try node.expectKeys(["dir", "plugins_dir", "params", "limits"])
        dir = try node.child("dir").string(dir)
        pluginsDir = try node.child("plugins_dir").string(pluginsDir)
        for (name, value) in try node.child("params").entries() {
            params[name] = try StrategyParameters(reading: value)
        }
        let limits = try node.child("limits")
        try limits.expectKeys(["instructions", "memory_bytes", "max_faults"])
        instructionLimit = try limits.child("instructions").int(instructionLimit, in: 1000...1_000_000_000)
        memoryLimitBytes = try limits.child("memory_bytes").int(memoryLimitBytes, in: 65_536...(1 << 32))
        maxConsecutiveFaults = try limits.child("max_faults").int(maxConsecutiveFaults, in: 1...1000)
    }
}

/// One strategy's parameter overrides: for every symbol, and per symbol on top.
///
/// ```yaml
/// params:
///   rsi_reversal:
///     period: 14
///     symbols:
///       BTC/USDT: { period: 10 }
/// ```
public struct StrategyParameters: Sendable, Hashable {
    public var values: [String: ParameterValue] = [:]
    public var bySymbol: [String: [String: ParameterValue]] = [:]

    public init(values: [String: ParameterValue] = [:], bySymbol: [String: [String: ParameterValue]] = [:]) {
        self.values = values
        self.bySymbol = bySymbol
    }

    /// The parameters for `symbol`: the per-symbol values over the common ones.
    public func values(for symbol: String) -> [String: ParameterValue] {
        values.merging(bySymbol[symbol] ?? [:]) { _, symbolValue in symbolValue }
    }

    init(reading node: ConfigNode) throws {
        for (key, value) in try node.entries() {
            if key == "symbols" {
                for (symbol, overrides) in try value.entries() {
                    var map: [String: ParameterValue] = [:]
                    for (name, parameter) in try overrides.entries() { map[name] = try parameter.parameter() }
                    bySymbol[symbol] = map
                }
            } else {
                values[key] = try value.parameter()
            }
        }
    }
}
