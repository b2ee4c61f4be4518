import Exchanges
import Foundation

/// The newest state of every running symbol, readable from any thread (REST handlers):
/// each symbol's processor writes its own entry, readers copy snapshots out.
public final class LatestState: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [CanonicalSymbol: Entry] = [:]

    public init() {}

    /// The snapshot of `symbol`, nil when it is not running.
    public func snapshot(of symbol: CanonicalSymbol) -> SymbolLatest? {
        lock.withLock { entries[symbol] }?.read()
    }

    /// Every running symbol's snapshot, sorted by symbol.
    public func snapshots() -> [SymbolLatest] {
        let all = lock.withLock { entries.sorted { $0.key < $1.key }.map(\.value) }
        return all.map { $0.read() }
    }

    /// The running symbols.
    public var symbols: [CanonicalSymbol] { lock.withLock { entries.keys.sorted() } }

    /// How many symbols are running.
    public var count: Int { lock.withLock { entries.count } }

    /// The newest signal per (symbol, strategy), optionally filtered, newest first.
    public func latestSignals(symbol: CanonicalSymbol? = nil, strategy: String? = nil) -> [Signal] {
        let chosen = symbol.map { s in snapshot(of: s).map { [$0] } ?? [] } ?? snapshots()
        return chosen.flatMap { $0.signals.values }
            .filter { strategy == nil || $0.strategy == strategy }
            .sorted { ($0.time, $0.symbol, $0.strategy) > ($1.time, $1.symbol, $1.strategy) }
    }

    func register(_ symbol: CanonicalSymbol, exchange: Exchange) -> Entry {
        lock.withLock {
            let entry = Entry(SymbolLatest(symbol: symbol.description, exchange: exchange.rawValue))
            entries[symbol] = entry
            return entry
        }
    }

    func remove(_ symbol: CanonicalSymbol) {
        lock.withLock { entries[symbol] = nil }
    }

    /// One symbol's snapshot behind its own lock, so writers of different symbols never meet.
    final class Entry: @unchecked Sendable {
        private let lock = NSLock()
        private var value: SymbolLatest

        init(_ value: SymbolLatest) {
            self.value = value
        }

        func read() -> SymbolLatest { lock.withLock { value } }

        @inline(__always)
        func update(_ body: (inout SymbolLatest) -> Void) {
            lock.lock()
            body(&value)
            lock.unlock()
        }
    }
}
