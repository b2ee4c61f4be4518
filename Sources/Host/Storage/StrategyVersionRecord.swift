/// A strategy source that was loaded, kept so any signal's `strategy_hash` can be traced to code.
public struct StrategyVersionRecord: Sendable, Hashable, Codable {
    public var name: String
    /// SHA-256 (hex) of `source`.
    public var hash: String
    public var source: String
    /// When this version was (last) loaded, epoch milliseconds.
    public var loadedAt: Int64

    public init(name: String, hash: String, source: String, loadedAt: Int64) {
        self.name = name
        self.hash = hash
        self.source = source
        self.loadedAt = loadedAt
    }
}

/// A strategy that failed to load or faulted: where and why.
public struct StrategyErrorRecord: Sendable, Hashable, Codable {
    public var id: Int64
    public var name: String
    /// The symbol whose state faulted; nil for load (compile) errors.
    public var symbol: String?
    /// Epoch milliseconds.
    public var time: Int64
    /// The source line, when known.
    public var line: Int?
    public var message: String

    public init(id: Int64 = 0, name: String, symbol: String?, time: Int64, line: Int?, message: String) {
        self.id = id
        self.name = name
        self.symbol = symbol
        self.time = time
        self.line = line
        self.message = message
    }
}
