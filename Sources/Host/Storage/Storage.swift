import Foundation
import GRDB

/// Chloe's SQLite database (WAL mode, through GRDB): signals, alerts with their ack state,
/// strategy versions and errors, and candles.
///
/// Writes here are committed when the call returns. That is the durability rule: store a signal
/// or alert (`append`) *before* publishing it, so nothing a client or webhook saw can be lost to
/// a crash. `StorageWriter` batches many such calls into one transaction.
///
/// Checkpoints (copying the write-ahead log into the database file, with an `fsync`) are by
/// default SQLite's: the commit that fills the log past 1,000 pages runs one, and waits for it.
/// With `checkpointsInBackground`, commits leave them to ``checkpoint()``, which a daemon calls
/// from a service of its own (``StorageCheckpointer``) on a connection of its own, beside the
/// writer instead of in its way; a commit still checkpoints if the log ever passes 100,000 pages.
public final class Storage: Sendable {
    /// The database file.
    public let path: String
    let pool: DatabasePool
    /// The connection ``checkpoint()`` uses, when checkpoints run in the background.
    private let checkpointer: DatabaseQueue?

    /// Opens (creating when missing) `chloe.sqlite` in `directory` and brings the schema up to date.
    public convenience init(directory: String, checkpointsInBackground: Bool = false) throws(StorageError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StorageError(operation: "creating the data folder \(directory)", reason: error.localizedDescription)
        }
        try self.init(path: (directory as NSString).appendingPathComponent("chloe.sqlite"), checkpointsInBackground: checkpointsInBackground)
    }

    /// Opens (creating when missing) the database file at `path` and migrates it.
    public init(path: String, checkpointsInBackground: Bool = false) throws(StorageError) {
        self.path = path
        var configuration = Configuration()
        configuration.label = "chloe"
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            if checkpointsInBackground { try db.execute(sql: "PRAGMA wal_autocheckpoint = 100000") }
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
            if checkpointsInBackground {
                var own = Configuration()
                own.label = "chloe-checkpoint"
                own.busyMode = .timeout(5)
                checkpointer = try DatabaseQueue(path: path, configuration: own)
            } else {
                checkpointer = nil
            }
        } catch {
            throw StorageError(operation: "opening \(path)", reason: "\(error)")
        }
    }

    /// Copies what the write-ahead log holds into the database file without holding up writers
    /// (a passive checkpoint); returns the log's frames and those copied. Only with
    /// `checkpointsInBackground`; otherwise SQLite checkpoints on commit and this returns nil.
    @discardableResult
    public func checkpoint() async throws(StorageError) -> (logged: Int, copied: Int)? {
        guard let checkpointer else { return nil }
        do {
            return try await checkpointer.writeWithoutTransaction { db in
                let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
                return (row?[1] ?? 0, row?[2] ?? 0)
            }
        } catch {
            throw StorageError(operation: "checkpointing \(path)", reason: "\(error)")
        }
    }

    /// Stores `signals` and `alerts` in one transaction and returns them with their ids.
    public func append(signals: [Signal], alerts: [Alert] = []) async throws(StorageError) -> (signals: [Signal], alerts: [Alert]) {
        try await write("committing \(signals.count) signals and \(alerts.count) alerts") { db in
            (try Self.insert(signals, db), try Self.insert(alerts, db))
        }
    }

    /// Stores (or replaces) closed candles.
    public func append(candles: [StoredCandle]) async throws(StorageError) {
        try await write("committing \(candles.count) candles") { db in try Self.insert(candles, db) }
    }

    /// Records that `version` was loaded (a reload of the same source only updates `loaded_at`).
    public func record(_ version: StrategyVersionRecord) async throws(StorageError) {
        try await write("recording strategy \(version.name)") { db in
            try db.execute(sql: """
                INSERT INTO strategy_versions (name, hash, source, loaded_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(name, hash) DO UPDATE SET loaded_at = excluded.loaded_at
                """, arguments: [version.name, version.hash, version.source, version.loadedAt])
        }
    }

    /// Records a load error or fault and returns it with its id.
    public func record(_ failure: StrategyErrorRecord) async throws(StorageError) -> StrategyErrorRecord {
        try await write("recording an error of strategy \(failure.name)") { db in
            try db.execute(sql: "INSERT INTO strategy_errors (name, symbol, time, line, message) VALUES (?, ?, ?, ?, ?)",
                           arguments: [failure.name, failure.symbol, failure.time, failure.line, failure.message])
            var stored = failure
            stored.id = db.lastInsertedRowID
            return stored
        }
    }

    /// Marks alert `id` acknowledged at `time` (the first acknowledgement's time is kept) and returns
    /// it, or nil when there is no such alert.
    public func acknowledgeAlert(id: Int64, at time: Int64) async throws(StorageError) -> Alert? {
        try await write("acknowledging alert \(id)") { db in
            try db.execute(sql: "UPDATE alerts SET acknowledged = 1, acked_at = ? WHERE id = ? AND acknowledged = 0",
                           arguments: [time, id])
            return try Row.fetchOne(db, sql: "SELECT * FROM alerts WHERE id = ?", arguments: [id]).map(Self.alert)
        }
    }

    /// Deletes signals, alerts, strategy errors and candles older than `time` (epoch ms); returns
    /// how many rows went.
    @discardableResult
    public func purge(before time: Int64) async throws(StorageError) -> Int {
        try await write("purging records before \(time)") { db in
            var removed = 0
            for table in ["signals", "alerts", "strategy_errors", "candles"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE time < ?", arguments: [time])
                removed += db.changesCount
            }
            return removed
        }
    }

    func write<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(StorageError) -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw StorageError(operation: operation, reason: "\(error)")
        }
    }

    func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(StorageError) -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw StorageError(operation: operation, reason: "\(error)")
        }
    }
}
