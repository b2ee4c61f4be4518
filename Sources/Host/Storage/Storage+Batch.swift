import GRDB

extension Storage {
    /// Stores a batch of signals, alerts and candles in one transaction.
    func append(batch signals: [Signal], _ alerts: [Alert], _ candles: [StoredCandle]) async throws(StorageError)
        -> (signals: [Signal], alerts: [Alert]) {
        try await write("committing \(signals.count) signals, \(alerts.count) alerts and \(candles.count) candles") { db in
            let stored = (try Self.insert(signals, db), try Self.insert(alerts, db))
            try Self.insert(candles, db)
            return stored
        }
    }
}
