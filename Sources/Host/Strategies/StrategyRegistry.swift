import Foundation
import Scripting

/// What the per-symbol strategy runners report for the API, readable from any thread: which
/// symbols each strategy runs on, the last error per (strategy, symbol), where it is parked,
/// and how its shadow version compares on each symbol. Written only on rare events (a start,
/// an error, a park) and, while a shadow runs, after each event of its symbols.
public final class StrategyRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var symbolsByStrategy: [String: Set<String>] = [:]
    private var errors: [String: [String: StrategyFailure]] = [:]
    private var parked: [String: Set<String>] = [:]
    private var shadows: [String: [String: ShadowComparison]] = [:]

    public init() {}

    func running(_ strategy: String, on symbol: String) {
        lock.withLock {
            symbolsByStrategy[strategy, default: []].insert(symbol)
            parked[strategy]?.remove(symbol)
        }
    }

    func stopped(_ strategy: String, on symbol: String) {
        lock.withLock {
            symbolsByStrategy[strategy]?.remove(symbol)
            parked[strategy]?.remove(symbol)
        }
    }

    func record(_ failure: StrategyFailure) {
        lock.withLock {
            errors[failure.strategy, default: [:]][failure.symbol] = failure
            if failure.parked { parked[failure.strategy, default: []].insert(failure.symbol) }
        }
    }

    func record(_ comparison: ShadowComparison, strategy: String, symbol: String) {
        lock.withLock { shadows[strategy, default: [:]][symbol] = comparison }
    }

    func clearShadow(_ strategy: String, symbol: String) {
        lock.withLock { _ = shadows[strategy]?.removeValue(forKey: symbol) }
    }

    /// Forgets what was recorded about `strategy` on `symbol` (the symbol stopped).
    public func forget(symbol: String) {
        lock.withLock {
            for key in symbolsByStrategy.keys { symbolsByStrategy[key]?.remove(symbol) }
            for key in parked.keys { parked[key]?.remove(symbol) }
            for key in shadows.keys { shadows[key]?[symbol] = nil }
        }
    }

    /// Symbols `strategy` runs on, sorted.
    public func symbols(of strategy: String) -> [String] { lock.withLock { (symbolsByStrategy[strategy] ?? []).sorted() } }

    /// Symbols where `strategy` is parked, sorted.
    public func parkedSymbols(of strategy: String) -> [String] { lock.withLock { (parked[strategy] ?? []).sorted() } }

    /// The last error of `strategy` per symbol.
    public func lastErrors(of strategy: String) -> [String: StrategyFailure] { lock.withLock { errors[strategy] ?? [:] } }

    /// How the shadow of `strategy` compares with the live version, per symbol.
    public func shadowComparisons(of strategy: String) -> [String: ShadowComparison] { lock.withLock { shadows[strategy] ?? [:] } }

    /// Drops the shadow comparisons of `strategy` (its shadow was promoted or discarded).
    public func clearShadows(of strategy: String) { lock.withLock { shadows[strategy] = nil } }
}
