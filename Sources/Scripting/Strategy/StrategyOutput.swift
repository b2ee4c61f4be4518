/// What one event produced across a symbol's strategies. ``SymbolStrategies`` owns one and
/// clears it (keeping its storage) at the start of every event, so read it before the next.
public final class StrategyOutput {
    public internal(set) var signals: [StrategySignal] = []
    public internal(set) var alerts: [StrategyAlert] = []
    public internal(set) var faults: [StrategyFault] = []
    public internal(set) var notices: [StrategyNotice] = []
    public internal(set) var logs: [StrategyLog] = []

    init() {
        signals.reserveCapacity(8)
        alerts.reserveCapacity(8)
    }

    /// True when nothing happened.
    public var isEmpty: Bool {
        signals.isEmpty && alerts.isEmpty && faults.isEmpty && notices.isEmpty && logs.isEmpty
    }

    func clear() {
        if !signals.isEmpty { signals.removeAll(keepingCapacity: true) }
        if !alerts.isEmpty { alerts.removeAll(keepingCapacity: true) }
        if !faults.isEmpty { faults.removeAll(keepingCapacity: true) }
        if !notices.isEmpty { notices.removeAll(keepingCapacity: true) }
        if !logs.isEmpty { logs.removeAll(keepingCapacity: true) }
    }
}
