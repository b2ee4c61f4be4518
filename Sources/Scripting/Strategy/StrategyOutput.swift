/// What one event produced across a symbol's strategies. ``SymbolStrategies`` owns one and
/// clears it (keeping its storage) at the start of every event, so read it before the next.
///
/// Most events produce nothing: ``isEmpty`` is a flag in the object itself, so clearing and
/// checking an empty output reads one field rather than the five arrays' buffers (five more
/// cache lines per event and symbol).
public final class StrategyOutput {
    public private(set) var signals: [StrategySignal] = []
    public private(set) var alerts: [StrategyAlert] = []
    public private(set) var faults: [StrategyFault] = []
    public private(set) var notices: [StrategyNotice] = []
    public private(set) var logs: [StrategyLog] = []
    /// True when nothing happened (nothing appended since the last clear).
    public private(set) var isEmpty = true

    init() {
        signals.reserveCapacity(8)
        alerts.reserveCapacity(8)
    }

    func append(_ signal: StrategySignal) {
        signals.append(signal)
        isEmpty = false
    }

    func append(_ alert: StrategyAlert) {
        alerts.append(alert)
        isEmpty = false
    }

    func append(_ fault: StrategyFault) {
        faults.append(fault)
        isEmpty = false
    }

    func append(_ notice: StrategyNotice) {
        notices.append(notice)
        isEmpty = false
    }

    func append(_ log: StrategyLog) {
        logs.append(log)
        isEmpty = false
    }

    @inline(__always)
    func clear() {
        guard !isEmpty else { return }
        isEmpty = true
        if !signals.isEmpty { signals.removeAll(keepingCapacity: true) }
        if !alerts.isEmpty { alerts.removeAll(keepingCapacity: true) }
        if !faults.isEmpty { faults.removeAll(keepingCapacity: true) }
        if !notices.isEmpty { notices.removeAll(keepingCapacity: true) }
        if !logs.isEmpty { logs.removeAll(keepingCapacity: true) }
    }
}
