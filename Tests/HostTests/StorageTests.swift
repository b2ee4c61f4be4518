import Foundation
@testable import Host
import Logging
import Testing

@Suite struct StorageTests {
    @Test func appendedSignalsGetIdsAndComeBackWhole() async throws {
        let folder = try TemporaryFolder()
        let storage = try Storage(directory: folder.path)
        let signals = (0..<3).map { Records.signal(time: 1000 + Int64($0)) }
        let stored = try await storage.append(signals: signals).signals
        #expect(stored.map(\.id) == [1, 2, 3])
        let page = try await storage.signals(SignalQuery())
        #expect(page.items == stored.reversed())
        #expect(page.nextCursor == nil)
    }

    /// With background checkpoints, commits leave the log to ``Storage/checkpoint()`` (their own
    /// automatic checkpoint only past 100,000 pages), which copies all of it; without, SQLite's
    /// default applies and ``Storage/checkpoint()`` does nothing.
    @Test func checkpointsRunInTheBackgroundWhenAsked() async throws {
        let folder = try TemporaryFolder()
        let storage = try Storage(directory: folder.path, checkpointsInBackground: true)
        #expect(try await storage.pool.write { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") } == 100_000)
        for index in 0..<20 { _ = try await storage.append(signals: [Records.signal(time: Int64(index))]) }
        let done = try #require(try await storage.checkpoint())
        #expect(done.logged > 0)
        #expect(done.copied == done.logged)
        // Everything is in the database file: a connection opened afresh reads it all.
        let reopened = try Storage(directory: folder.path)
        #expect(try await reopened.signals(SignalQuery(limit: 100)).items.count == 20)
        #expect(try await reopened.pool.write { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") } == 1000)
        #expect(try await reopened.checkpoint() == nil)
    }

    @Test func historyFiltersAndPages() async throws {
        let folder = try TemporaryFolder()
        let storage = try Storage(directory: folder.path)
        var signals: [Signal] = []
        for index in 0..<10 {
            signals.append(Records.signal(index.isMultiple(of: 2) ? "BTC/USDT" : "ETH/USDT", time: Int64(index) * 60_000,
                                          level: index < 5 ? .rated(.buy) : .unknown, strategy: index < 8 ? "a" : "b"))
        }
        _ = try await storage.append(signals: signals)
        #expect(try await storage.signals(SignalQuery(symbol: "ETH/USDT")).items.map(\.time) == [540_000, 420_000, 300_000, 180_000, 60_000])
        #expect(try await storage.signals(SignalQuery(level: .unknown)).items.count == 5)
        #expect(try await storage.signals(SignalQuery(strategy: "b")).items.count == 2)
        #expect(try await storage.signals(SignalQuery(since: 120_000, until: 240_000)).items.map(\.time) == [180_000, 120_000])

        var seen: [Int64] = []
        var cursor: Int64?
        repeat {
            let page = try await storage.signals(SignalQuery(limit: 4, cursor: cursor))
            seen += page.items.map(\.id)
            cursor = page.nextCursor
        } while cursor != nil
        #expect(seen == Array((1...10).reversed()))
    }

    @Test func reopeningTheFileKeepsEverything() async throws {
        let folder = try TemporaryFolder()
        do {
            let storage = try Storage(directory: folder.path)
            _ = try await storage.append(signals: [Records.signal(time: 5)], alerts: [Records.alert(time: 5)])
            try await storage.record(StrategyVersionRecord(name: "a", hash: "h1", source: "return {}", loadedAt: 1))
        }
        let reopened = try Storage(directory: folder.path)
        #expect(try await reopened.signals(SignalQuery()).items.map(\.time) == [5])
        #expect(try await reopened.alerts(AlertQuery()).items.map(\.name) == ["breakout"])
        #expect(try await reopened.strategyVersions(name: "a").map(\.hash) == ["h1"])
        let next = try await reopened.append(signals: [Records.signal(time: 6)]).signals
        #expect(next.first?.id == 2)
    }

    @Test func alertsAreFilteredAndAcknowledgedOnce() async throws {
        let folder = try TemporaryFolder()
        let storage = try Storage(directory: folder.path)
        let stored = try await storage.append(signals: [], alerts: [
            Records.alert(time: 1, severity: .info), Records.alert("ETH/USDT", time: 2, severity: .critical),
        ]).alerts
        #expect(try await storage.alerts(AlertQuery(severity: .critical)).items.map(\.id) == [stored[1].id])
        let acked = try await storage.acknowledgeAlert(id: stored[0].id, at: 500)
        #expect(acked?.acknowledged == true)
        #expect(acked?.ackedAt == 500)
        let again = try await storage.acknowledgeAlert(id: stored[0].id, at: 900)
        #expect(again?.ackedAt == 500)
        #expect(try await storage.acknowledgeAlert(id: 999, at: 1) == nil)
        #expect(try await storage.alerts(AlertQuery(acknowledged: false)).items.map(\.id) == [stored[1].id])
        #expect(try await storage.alerts(AlertQuery(acknowledged: true)).items.map(\.id) == [stored[0].id])
    }

    @Test func candlesAreUpsertedAndRead() async throws {
        let folder = try TemporaryFolder()
        let storage = try Storage(directory: folder.path)
        let candle = StoredCandle(symbol: "BTC/USDT", exchange: "sim", interval: "1m", time: 60_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10)
        var revised = candle
        revised.close = 1.7
        try await storage.append(candles: [candle, StoredCandle(symbol: "BTC/USDT", exchange: "sim", interval: "1m", time: 0,
                                                               open: 1, high: 1, low: 1, close: 1, volume: 1)])
        try await storage.append(candles: [revised])
        let read = try await storage.candles(symbol: "BTC/USDT", interval: "1m")
        #expect(read.map(\.time) == [0, 60_000])
        #expect(read.last?.close == 1.7)
        #expect(try await storage.candles(symbol: "BTC/USDT", interval: "1m", limit: 1).map(\.time) == [60_000])
    }

    @Test func strategyVersionsAndErrorsAreKept() async throws {
        let folder = try TemporaryFolder()
        let storage = try Storage(directory: folder.path)
        try await storage.record(StrategyVersionRecord(name: "a", hash: "h1", source: "v1", loadedAt: 1))
        try await storage.record(StrategyVersionRecord(name: "a", hash: "h2", source: "v2", loadedAt: 2))
        try await storage.record(StrategyVersionRecord(name: "a", hash: "h1", source: "v1", loadedAt: 3))
        #expect(try await storage.strategyVersions(name: "a").map(\.hash) == ["h1", "h2"])
        let failure = try await storage.record(StrategyErrorRecord(name: "a", symbol: nil, time: 4, line: 7, message: "unexpected symbol"))
        #expect(failure.id == 1)
        #expect(try await storage.strategyErrors(name: "a") == [failure])
    }

    @Test func purgeRemovesOnlyOldRecords() async throws {
        let folder = try TemporaryFolder()
        let storage = try Storage(directory: folder.path)
        _ = try await storage.append(signals: [Records.signal(time: 10), Records.signal(time: 20)], alerts: [Records.alert(time: 10)])
        let removed = try await storage.purge(before: 15)
        #expect(removed == 2)
        #expect(try await storage.signals(SignalQuery()).items.map(\.time) == [20])
        #expect(try await storage.alerts(AlertQuery()).items.isEmpty)
    }

    @Test func unusableFolderIsAClearError() {
        let error = #expect(throws: StorageError.self) { try Storage(directory: "/proc/chloe-cannot-be-here") }
        #expect(error?.description.contains("/proc/chloe-cannot-be-here") == true)
    }

    @Test func corruptFileIsRefusedWithItsPath() throws {
        let folder = try TemporaryFolder()
        let path = folder.path + "/chloe.sqlite"
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: StorageError.self) { try Storage(path: path) }
        #expect(error?.operation.contains(path) == true)
    }
}

@Suite(.timeLimit(.minutes(1))) struct StorageWriterTests {
    static let logger = Logger(label: "test")

    @Test func signalsAreCommittedAtOnceWithoutWaitingForTheInterval() async throws {
        let folder = try TemporaryFolder()
        let storage = try Storage(directory: folder.path)
        var settings = StorageSettings()
        settings.batchIntervalMilliseconds = 3_600_000  // and no run loop: only group commit can store them
        let writer = StorageWriter(storage: storage, settings: settings, logger: Self.logger)
        let stored = try await withThrowingTaskGroup(of: [Signal].self) { group in
            for index in 0..<50 {
                group.addTask { try await writer.commit(signals: [Records.signal(time: Int64(index))]).signals }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(Set(stored.map(\.id)) == Set(1...50))
        #expect(try await storage.signals(SignalQuery(limit: 100)).items.count == 50)
        // A candle queued meanwhile rides along with the next signal's transaction.
        #expect(await writer.enqueue(candles: [StoredCandle(symbol: "A/B", exchange: "sim", interval: "1m", time: 0, open: 1, high: 1, low: 1, close: 1, volume: 1)]))
        _ = try await writer.commit(signals: [Records.signal(time: 99)])
        #expect(try await storage.candles(symbol: "A/B", interval: "1m").count == 1)
    }

    @Test func aFullQueueRefusesAndCounts() async throws {
        let folder = try TemporaryFolder()
        let storage = try Storage(directory: folder.path)
        var settings = StorageSettings()
        settings.queueSize = 2
        settings.batchSize = 100
        let writer = StorageWriter(storage: storage, settings: settings, logger: Self.logger)
        #expect(await writer.enqueue(candles: [StoredCandle(symbol: "A/B", exchange: "sim", interval: "1m", time: 0, open: 1, high: 1, low: 1, close: 1, volume: 1)]))
        await #expect(throws: StorageError.self) {
            try await writer.commit(signals: [Records.signal(time: 1), Records.signal(time: 2)])
        }
        #expect(await writer.dropped == 2)
        await writer.flush()
        #expect(try await storage.candles(symbol: "A/B", interval: "1m").count == 1)
    }

    @Test func theIntervalCommitsASmallBatch() async throws {
        let folder = try TemporaryFolder()
        let storage = try Storage(directory: folder.path)
        var settings = StorageSettings()
        settings.batchIntervalMilliseconds = 5
        let writer = StorageWriter(storage: storage, settings: settings, logger: Self.logger)
        let run = Task { try await writer.run() }
        let stored = try await writer.commit(signals: [Records.signal(time: 1)], alerts: [Records.alert(time: 1)])
        #expect(stored.signals.first?.id == 1)
        #expect(stored.alerts.first?.id == 1)
        run.cancel()
        try await run.value
    }
}
