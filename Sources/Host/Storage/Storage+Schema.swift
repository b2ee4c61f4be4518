import GRDB

extension Storage {
    /// The schema, one migration per change; GRDB records which ran in `grdb_migrations`.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: signals, alerts, strategies, candles") { db in
            try db.create(table: "signals") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("symbol", .text).notNull()
                table.column("exchange", .text).notNull()
                table.column("time", .integer).notNull()
                table.column("level", .text).notNull()
                table.column("strategy", .text).notNull()
                table.column("strategy_hash", .text).notNull()
                table.column("body", .text).notNull()
            }
            try db.create(index: "signals_by_symbol_time", on: "signals", columns: ["symbol", "time"])
            try db.create(index: "signals_by_time", on: "signals", columns: ["time"])
            try db.create(table: "alerts") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("symbol", .text).notNull()
                table.column("exchange", .text).notNull()
                table.column("time", .integer).notNull()
                table.column("strategy", .text).notNull()
                table.column("name", .text).notNull()
                table.column("severity", .text).notNull()
                table.column("message", .text).notNull()
                table.column("price", .double)
                table.column("acknowledged", .boolean).notNull().defaults(to: false)
                table.column("acked_at", .integer)
            }
            try db.create(index: "alerts_by_symbol_time", on: "alerts", columns: ["symbol", "time"])
            try db.create(index: "alerts_by_time", on: "alerts", columns: ["time"])
            try db.create(table: "strategy_versions") { table in
                table.column("name", .text).notNull()
                table.column("hash", .text).notNull()
                table.column("source", .text).notNull()
                table.column("loaded_at", .integer).notNull()
                table.primaryKey(["name", "hash"])
            }
            try db.create(table: "strategy_errors") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("name", .text).notNull()
                table.column("symbol", .text)
                table.column("time", .integer).notNull()
                table.column("line", .integer)
                table.column("message", .text).notNull()
            }
            try db.create(index: "strategy_errors_by_name_time", on: "strategy_errors", columns: ["name", "time"])
            try db.create(table: "candles") { table in
                table.column("symbol", .text).notNull()
                table.column("exchange", .text).notNull()
                table.column("interval", .text).notNull()
                table.column("time", .integer).notNull()
                table.column("open", .double).notNull()
                table.column("high", .double).notNull()
                table.column("low", .double).notNull()
                table.column("close", .double).notNull()
                table.column("volume", .double).notNull()
                table.primaryKey(["symbol", "interval", "time", "exchange"])
            }
            try db.create(index: "candles_by_time", on: "candles", columns: ["time"])
        }
        return migrator
    }
}
