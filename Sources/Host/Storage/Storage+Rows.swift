import Foundation
import GRDB

extension Storage {
    static func insert(_ signals: [Signal], _ db: Database) throws -> [Signal] {
        guard !signals.isEmpty else { return [] }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO signals (symbol, exchange, time, level, strategy, strategy_hash, body) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        var stored = signals
        for index in stored.indices {
            let signal = stored[index]
            let body = try signal.json()
            try statement.execute(arguments: [signal.symbol, signal.exchange, signal.time, signal.level.name,
                                              signal.strategy, signal.strategyHash, body])
            stored[index].id = db.lastInsertedRowID
        }
        return stored
    }

    static func insert(_ alerts: [Alert], _ db: Database) throws -> [Alert] {
        guard !alerts.isEmpty else { return [] }
        let statement = try db.cachedStatement(sql: """
            INSERT INTO alerts (symbol, exchange, time, strategy, name, severity, message, price, acknowledged, acked_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var stored = alerts
        for index in stored.indices {
            let alert = stored[index]
            try statement.execute(arguments: [alert.symbol, alert.exchange, alert.time, alert.strategy, alert.name,
                                              alert.severity.rawValue, alert.message, alert.price, alert.acknowledged, alert.ackedAt])
            stored[index].id = db.lastInsertedRowID
        }
        return stored
    }

    static func insert(_ candles: [StoredCandle], _ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO candles (symbol, exchange, interval, time, open, high, low, close, volume)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for candle in candles {
            try statement.execute(arguments: [candle.symbol, candle.exchange, candle.interval, candle.time,
                                              candle.open, candle.high, candle.low, candle.close, candle.volume])
        }
    }

    static func signal(_ row: Row, decoder: JSONDecoder) throws -> Signal {
        let body: String = row["body"]
        var signal = try decoder.decode(Signal.self, from: Data(body.utf8))
        signal.id = row["id"]
        return signal
    }

    static func alert(_ row: Row) -> Alert {
        let severity: String = row["severity"]
        return Alert(id: row["id"], symbol: row["symbol"], exchange: row["exchange"], time: row["time"],
                     strategy: row["strategy"], name: row["name"], severity: AlertSeverity(rawValue: severity) ?? .info,
                     message: row["message"], price: row["price"], acknowledged: row["acknowledged"], ackedAt: row["acked_at"])
    }
}
