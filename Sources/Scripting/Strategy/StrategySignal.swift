import Indicators
import Model

/// A level a strategy returned for a symbol, with the risk rule's verdict and the indicator
/// values it had.
public struct StrategySignal: Sendable, Hashable {
    public var strategy: String
    public var symbol: String
    public var level: RatingLevel
    public var reason: String
    /// 0...1 (1 when the strategy gives none).
    public var confidence: Double
    /// SHA-256 (hex) of the strategy source that made it.
    public var sourceHash: String
    /// The strategy's version number in its library.
    public var version: Int
    /// The candle interval that triggered it (`1m`, ...), or `tick`.
    public var trigger: String
    /// Event time, epoch milliseconds.
    public var time: Int64
    /// The risk proposal as the strategy's `risk` rule left it (nil for `neutral`).
    public var risk: StrategyRisk?
    /// The declared indicator values at the time: `rsi`, `macd.hist`, `bb.upper`, ...
    /// (outputs still warming up are absent).
    public var indicators: IndicatorReadings
    /// True when a shadow version made it: compared with the live one, never emitted as live.
    public var isShadow: Bool
}

/// Position size and exits for a buy/sell signal: the host's proposal after the strategy's `risk`.
public struct StrategyRisk: Sendable, Hashable {
    /// Units of the base asset (0 when vetoed).
    public var size: Double
    public var stopLoss: Double?
    public var takeProfit: Double?
    public var vetoed: Bool
    public var note: String?
}

/// An alert whose condition went from false to true outside its cooldown.
public struct StrategyAlert: Sendable, Hashable {
    /// How urgent an alert is.
    public enum Severity: String, Sendable, Hashable, CaseIterable {
        case info, warning, critical
    }

    public var strategy: String
    public var symbol: String
    public var name: String
    public var severity: Severity
    public var message: String
    public var time: Int64
    public var price: Double?
    public var isShadow: Bool
}

/// A call that failed: a script error, a budget or memory kill, a version that would not start
/// for this symbol.
public struct StrategyFault: Sendable, Hashable, CustomStringConvertible {
    public var strategy: String
    public var symbol: String
    public var file: String?
    public var line: Int?
    public var message: String
    public var time: Int64
    public var isShadow: Bool

    public var description: String {
        let location = [file, line.map(String.init)].compactMap { $0 }.joined(separator: ":")
        return "strategy '\(strategy)' on \(symbol): \(location.isEmpty ? "" : location + ": ")\(message)"
    }
}

/// A change in a strategy's life on a symbol that the host should report.
public struct StrategyNotice: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// Too many faults within the window: the strategy no longer runs on this symbol.
        case parked
        /// A new version started on this symbol (state carried over).
        case reloaded
        /// A new version failed to start on this symbol; the previous one keeps running.
        case reloadFailed
        /// The strategy was removed from the library.
        case unloaded
        /// The strategy started on this symbol.
        case started
    }

    public var kind: Kind
    public var strategy: String
    public var symbol: String
    public var version: Int
    public var message: String
    public var isShadow: Bool

    public var description: String { "strategy '\(strategy)' v\(version) on \(symbol): \(kind.rawValue): \(message)" }
}

/// A line a strategy printed with `ctx.log(...)` or `print(...)`.
public struct StrategyLog: Sendable, Hashable {
    public var strategy: String
    public var symbol: String
    public var line: String
    public var time: Int64
}
