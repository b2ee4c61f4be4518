import Exchanges
import Indicators
import Model

/// The seam where strategies plug into the pipeline: one ``SymbolStrategyRunner`` per symbol,
/// holding every strategy instance for that symbol, called serially on the symbol's shard.
public protocol StrategyStage: Sendable {
    /// Makes the per-symbol object. Called on the symbol's shard, before its first event;
    /// `intervals` are the candle intervals the symbol's candles are built in (what
    /// ``SymbolStrategyRunner/onCandle(_:interval:timeframe:market:)`` will be called with).
    func makeSymbolStrategies(symbol: CanonicalSymbol, exchange: Exchange, intervals: [CandleInterval]) -> any SymbolStrategyRunner

    /// Makes the strategies of a shard's close rehearsal (``CloseRehearsalSettings``): run on a
    /// scratch `symbol` shortly before candle boundaries, their records discarded. They should
    /// signal on every close of the smallest of `intervals`, so the first real close finds the
    /// signal path warm, and must not show up anywhere users look (lists, per-symbol status).
    /// The default: ``makeSymbolStrategies(symbol:exchange:intervals:)`` for `symbol`.
    func makeRehearsalStrategies(symbol: CanonicalSymbol, exchange: Exchange, intervals: [CandleInterval]) -> (any SymbolStrategyRunner)?
}

extension StrategyStage {
    public func makeRehearsalStrategies(symbol: CanonicalSymbol, exchange: Exchange, intervals: [CandleInterval]) -> (any SymbolStrategyRunner)? {
        makeSymbolStrategies(symbol: symbol, exchange: exchange, intervals: intervals)
    }
}

/// Every strategy of one symbol. Called synchronously, one event at a time, never concurrently.
/// Implementations should fill and return a reused ``StrategyOutcome`` rather than allocate.
public protocol SymbolStrategyRunner: AnyObject {
    /// A candle of `interval` closed; `market` already holds it. `timeframe` is the interval's
    /// name (`1m`), spelled once by the symbol's processor.
    func onCandle(_ candle: Candle, interval: CandleInterval, timeframe: String, market: SymbolView) -> StrategyOutcome
    /// A ticker or trade updated `market`.
    func onTick(market: SymbolView) -> StrategyOutcome
}

/// What one call of the strategies produced. Empty arrays (the common case) allocate nothing.
public struct StrategyOutcome: Sendable {
    public var signals: [StrategyProposal]
    public var alerts: [FiredAlert]
    public var errors: [StrategyFailure]

    public static let none = StrategyOutcome()

    public init(signals: [StrategyProposal] = [], alerts: [FiredAlert] = [], errors: [StrategyFailure] = []) {
        self.signals = signals
        self.alerts = alerts
        self.errors = errors
    }

    public var isEmpty: Bool { signals.isEmpty && alerts.isEmpty && errors.isEmpty }
}

/// One strategy's verdict, before the pipeline adds symbol, times, model and feed health.
public struct StrategyProposal: Sendable, Hashable {
    public var strategy: String
    /// SHA-256 (hex) of the strategy's source.
    public var strategyHash: String
    public var level: RatingLevel
    public var reason: String
    /// 0...1.
    public var confidence: Double
    /// The indicator values it read, by name (`rsi`, `macd.hist`).
    public var indicators: IndicatorReadings
    public var risk: Signal.Risk?

    public init(strategy: String, strategyHash: String, level: RatingLevel, reason: String, confidence: Double = 1,
                indicators: IndicatorReadings = [:], risk: Signal.Risk? = nil) {
        self.strategy = strategy
        self.strategyHash = strategyHash
        self.level = level
        self.reason = reason
        self.confidence = confidence
        self.indicators = indicators
        self.risk = risk
    }
}

/// An alert a strategy fired (the strategy applies its own edge trigger and cooldown).
public struct FiredAlert: Sendable, Hashable {
    public var strategy: String
    public var name: String
    public var severity: AlertSeverity
    public var message: String

    public init(strategy: String, name: String, severity: AlertSeverity, message: String) {
        self.strategy = strategy
        self.name = name
        self.severity = severity
        self.message = message
    }
}

/// A strategy call that failed (a Lua error, a budget or memory kill), or a strategy parked
/// after repeated failures.
public struct StrategyFailure: Sendable, Hashable, Codable {
    public var strategy: String
    public var symbol: String
    public var file: String?
    public var line: Int?
    public var message: String
    /// True when the strategy was parked for this symbol.
    public var parked: Bool

    public init(strategy: String, symbol: String, file: String? = nil, line: Int? = nil, message: String, parked: Bool = false) {
        self.strategy = strategy
        self.symbol = symbol
        self.file = file
        self.line = line
        self.message = message
        self.parked = parked
    }
}
