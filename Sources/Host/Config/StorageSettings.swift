/// `storage`: the SQLite database.
public struct StorageSettings: Sendable, Hashable {
    /// Folder holding `chloe.sqlite` (created when missing).
    public var dataDir: String = "data"
    /// Signals, alerts and candles older than this many days are purged; 0 keeps everything.
    public var retentionDays: Int = 30
    /// Records committed per transaction at most.
    public var batchSize: Int = 500
    /// Longest wait before queued records are committed, milliseconds.
    public var batchIntervalMilliseconds: Int = 100
    /// Records waiting for a commit at most; beyond it writes are refused and counted.
    public var queueSize: Int = 50_000

    public init() {}

    init(reading node: ConfigNode) throws {
        try node.expectKeys(["data_dir", "retention_days", "batch_size", "batch_interval_ms", "queue_size"])
        dataDir = try node.child("data_dir").string(dataDir)
        guard !dataDir.isEmpty else { throw try node.child("data_dir").error("must not be empty") }
        retentionDays = try node.child("retention_days").int(retentionDays, in: 0...36_500)
        batchSize = try node.child("batch_size").int(batchSize, in: 1...100_000)
        batchIntervalMilliseconds = try node.child("batch_interval_ms").int(batchIntervalMilliseconds, in: 1...60_000)
        queueSize = try node.child("queue_size").int(queueSize, in: 1...10_000_000)
    }
}
