/// The kinds of record the pipeline publishes; consumers choose the ones they want.
public enum OutputChannel: String, Sendable, Hashable, CaseIterable, Codable {
    case signals
    case alerts
    /// Tickers and trades.
    case ticks
    case candles
    /// Per-symbol feed health and strategy errors.
    case status
}
