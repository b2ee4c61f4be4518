import Foundation
import GRDB

extension Storage {
    /// One page of stored signals matching `query`, newest first.
    public func signals(_ query: SignalQuery) async throws(StorageError) -> Page<Signal> {
        var filter = SQLFilter()
        filter.add("symbol = ?", query.symbol)
        filter.add("strategy = ?", query.strategy)
        filter.add("level = ?", query.level?.name)
        filter.add("time >= ?", query.since)
        filter.add("time < ?", query.until)
        filter.add("id < ?", query.cursor)
        let limit = min(max(query.limit, 1), SignalQuery.maximumLimit)
        let sql = "SELECT id, body FROM signals\(filter.whereClause) ORDER BY id DESC LIMIT \(limit + 1)"
        let arguments = filter.arguments
        return try await read("reading signal history") { db in
            let decoder = RecordCoding.makeDecoder()
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let items = try rows.prefix(limit).map { try Self.signal($0, decoder: decoder) }
            return Page(items: items, nextCursor: rows.count > limit ? items.last?.id : nil)
        }
    }

    /// One page of stored alerts matching `query`, newest first.
    public func alerts(_ query: AlertQuery) async throws(StorageError) -> Page<Alert> {
        var filter = SQLFilter()
        filter.add("symbol = ?", query.symbol)
        filter.add("strategy = ?", query.strategy)
        filter.add("severity = ?", query.severity?.rawValue)
        filter.add("acknowledged = ?", query.acknowledged)
        filter.add("time >= ?", query.since)
        filter.add("time < ?", query.until)
        filter.add("id < ?", query.cursor)
        let limit = min(max(query.limit, 1), SignalQuery.maximumLimit)
        let sql = "SELECT * FROM alerts\(filter.whereClause) ORDER BY id DESC LIMIT \(limit + 1)"
        let arguments = filter.arguments
        return try await read("reading alerts") { db in
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments)
            let items = rows.prefix(limit).map(Self.alert)
            return Page(items: items, nextCursor: rows.count > limit ? items.last?.id : nil)
        }
    }

    /// The stored signal `id`, nil when there is none.
    public func signal(id: Int64) async throws(StorageError) -> Signal? {
        try await read("reading signal \(id)") { db in
            try Row.fetchOne(db, sql: "SELECT id, body FROM signals WHERE id = ?", arguments: [id])
                .map { try Self.signal($0, decoder: RecordCoding.makeDecoder()) }
        }
    }

    /// The stored candles of `symbol` and `interval` that start at or after `since` and before
    /// `until` (epoch ms): the newest `limit` of them, oldest first.
    public func candles(symbol: String, interval: String, since: Int64 = 0, until: Int64 = .max,
                        limit: Int = 1000) async throws(StorageError) -> [StoredCandle] {
        try await read("reading candles of \(symbol)") { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM (SELECT * FROM candles WHERE symbol = ? AND interval = ? AND time >= ? AND time < ?
                               ORDER BY time DESC LIMIT ?)
                ORDER BY time
                """, arguments: [symbol, interval, since, until, limit]).map { row in
                StoredCandle(symbol: row["symbol"], exchange: row["exchange"], interval: row["interval"], time: row["time"],
                             open: row["open"], high: row["high"], low: row["low"], close: row["close"], volume: row["volume"])
            }
        }
    }

    /// The stored versions of strategy `name`, newest load first.
    public func strategyVersions(name: String) async throws(StorageError) -> [StrategyVersionRecord] {
        try await read("reading versions of strategy \(name)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM strategy_versions WHERE name = ? ORDER BY loaded_at DESC", arguments: [name]).map { row in
                StrategyVersionRecord(name: row["name"], hash: row["hash"], source: row["source"], loadedAt: row["loaded_at"])
            }
        }
    }

    /// The stored version of strategy `name` whose source hashes to `hash`, nil when unknown
    /// (a built-in strategy, or one loaded before the database existed).
    public func strategyVersion(name: String, hash: String) async throws(StorageError) -> StrategyVersionRecord? {
        try await read("reading strategy \(name) version \(hash.prefix(12))") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM strategy_versions WHERE name = ? AND hash = ?", arguments: [name, hash]).map { row in
                StrategyVersionRecord(name: row["name"], hash: row["hash"], source: row["source"], loadedAt: row["loaded_at"])
            }
        }
    }

    /// The latest `limit` errors of strategy `name`, newest first.
    public func strategyErrors(name: String, limit: Int = 100) async throws(StorageError) -> [StrategyErrorRecord] {
        try await read("reading errors of strategy \(name)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM strategy_errors WHERE name = ? ORDER BY id DESC LIMIT ?",
                             arguments: [name, limit]).map { row in
                StrategyErrorRecord(id: row["id"], name: row["name"], symbol: row["symbol"], time: row["time"],
                                    line: row["line"], message: row["message"])
            }
        }
    }

    /// Whether the database answers a query (readiness).
    public func isReachable() async -> Bool {
        (try? await read("checking the database") { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }
}

/// A WHERE clause built from the filters that are set.
private struct SQLFilter {
    private var conditions: [String] = []
    private(set) var arguments = StatementArguments()

    mutating func add(_ condition: String, _ value: (some DatabaseValueConvertible)?) {
        guard let value else { return }
        conditions.append(condition)
        arguments += [value]
    }

    var whereClause: String { conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ") }
}
