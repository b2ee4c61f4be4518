import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Writes records in transactions. Signals and alerts are committed at once, by group commit:
/// when nothing is being written the caller writes its records straight away (no timer, no
/// task hop); those that arrive while a transaction is being written go together in the next
/// one, so a signal waits for at most one transaction before its own, however many arrive. Candles are
/// queued without waiting and written with the next transaction, or every `interval`, or when
/// `batchSize` records are queued; everything left is committed on shutdown.
///
/// `commit(signals:alerts:)` returns only once its records are committed, so the caller can
/// publish them afterwards without ever showing a client a record a crash could lose. Past `capacity` queued records, writes are refused
/// (`StorageError.queueFull`) and counted rather than letting memory grow: the pipeline never
/// waits on a slow disk longer than one batch.
public actor StorageWriter: Service {
    private struct Waiter {
        let signals: Range<Int>
        let alerts: Range<Int>
        let continuation: CheckedContinuation<Result<([Signal], [Alert]), StorageError>, Never>
    }

    public let storage: Storage
    private let batchSize: Int
    private let interval: Duration
    private let capacity: Int
    private let retentionDays: Int
    private let logger: Logger
    private var signals: [Signal] = []
    private var alerts: [Alert] = []
    private var candles: [StoredCandle] = []
    private var waiters: [Waiter] = []
    private var lastPurge: ContinuousClock.Instant?
    /// Whether a ``flush()`` is writing; records queued meanwhile go in its next transaction.
    private var flushing = false
    /// Callers of ``flush()`` that came while one was running, resumed when it ends.
    private var flushWaiters: [CheckedContinuation<Void, Never>] = []
    /// Records refused because the queue was full, or lost because their batch failed to commit.
    public private(set) var dropped = 0
    private let droppedCounter = Counter(label: "chloe_storage_dropped_records_total")
    private let committedCounter = Counter(label: "chloe_storage_committed_records_total")

    public init(storage: Storage, settings: StorageSettings, logger: Logger) {
        self.storage = storage
        self.batchSize = settings.batchSize
        self.interval = .milliseconds(settings.batchIntervalMilliseconds)
        self.capacity = settings.queueSize
        self.retentionDays = settings.retentionDays
        self.logger = logger
    }

    private var queued: Int { signals.count + alerts.count + candles.count }

    /// Queues `signals` and `alerts` and returns them with their ids once they are committed.
    public func commit(signals newSignals: [Signal], alerts newAlerts: [Alert] = []) async throws(StorageError)
        -> (signals: [Signal], alerts: [Alert]) {
        guard !newSignals.isEmpty || !newAlerts.isEmpty else { return ([], []) }
        guard queued + newSignals.count + newAlerts.count <= capacity else {
            refuse(newSignals.count + newAlerts.count)
            throw StorageError.queueFull(capacity: capacity)
        }
        let signalRange = signals.count..<(signals.count + newSignals.count)
        let alertRange = alerts.count..<(alerts.count + newAlerts.count)
        signals += newSignals
        alerts += newAlerts
        guard !flushing else {
            // The transaction being written is not ours: the next one (written by the same flush) is.
            return try await withCheckedContinuation { continuation in
                waiters.append(Waiter(signals: signalRange, alerts: alertRange, continuation: continuation))
            }.get()
        }
        flushing = true
        let result = await commitQueued(own: (signalRange, alertRange))
        if queued > 0 {
            Task { await self.finishFlush() }  // what came meanwhile; this caller does not wait for it
        } else {
            endFlush()
        }
        return try result.get()
    }

    /// Queues closed candles; false (and counted) when the queue is full.
    @discardableResult
    public func enqueue(candles newCandles: [StoredCandle]) -> Bool {
        guard queued + newCandles.count <= capacity else {
            refuse(newCandles.count)
            return false
        }
        candles += newCandles
        if queued >= batchSize, !flushing { Task { await self.flush() } }
        return true
    }

    /// Commits everything queued, and what is queued while it commits; returns when all of it
    /// is committed (a call during another flush waits for that one to end).
    public func flush() async {
        if flushing {
            await withCheckedContinuation { flushWaiters.append($0) }
            return
        }
        flushing = true
        await finishFlush()
    }

    /// Commits until nothing is queued, then ends the flush.
    private func finishFlush() async {
        while queued > 0 { _ = await commitQueued() }
        endFlush()
    }

    private func endFlush() {
        flushing = false
        let done = flushWaiters
        flushWaiters = []
        for waiter in done { waiter.resume() }
    }

    /// One transaction of everything queued now; returns the outcome for the records at `own`
    /// (those of the caller that writes it).
    @discardableResult
    private func commitQueued(own: (signals: Range<Int>, alerts: Range<Int>) = (0..<0, 0..<0)) async
        -> Result<([Signal], [Alert]), StorageError> {
        let batch = (signals, alerts, candles, waiters)
        signals = []
        alerts = []
        candles = []
        waiters = []
        do {
            let stored = try await storage.append(batch: batch.0, batch.1, batch.2)
            committedCounter.increment(by: batch.0.count + batch.1.count + batch.2.count)
            for waiter in batch.3 {
                waiter.continuation.resume(returning: .success((Array(stored.signals[waiter.signals]),
                                                                Array(stored.alerts[waiter.alerts]))))
            }
            return .success((Array(stored.signals[own.signals]), Array(stored.alerts[own.alerts])))
        } catch {
            let count = batch.0.count + batch.1.count + batch.2.count
            dropped += count
            droppedCounter.increment(by: count)
            logger.error("storage batch failed", metadata: ["error": "\(error)", "records": "\(count)"])
            for waiter in batch.3 { waiter.continuation.resume(returning: .failure(error)) }
            return .failure(error)
        }
    }

    /// Deletes records older than the retention period (at most once an hour unless `force`).
    public func purgeExpired(now: Int64, force: Bool = false) async {
        guard retentionDays > 0 else { return }
        let clock = ContinuousClock()
        if !force, let lastPurge, clock.now - lastPurge < .seconds(3600) { return }
        lastPurge = clock.now
        do {
            let removed = try await storage.purge(before: now - Int64(retentionDays) * 86_400_000)
            if removed > 0 { logger.info("purged expired records", metadata: ["rows": "\(removed)", "retention.days": "\(retentionDays)"]) }
        } catch {
            logger.error("retention purge failed", metadata: ["error": "\(error)"])
        }
    }

    /// Commits every `interval` until graceful shutdown, then commits what is left.
    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await Task.sleep(for: interval)
            await flush()
            await purgeExpired(now: Int64(Date.now.timeIntervalSince1970 * 1000))
        }
        await flush()
        logger.info("storage flushed", metadata: ["path": "\(storage.path)"])
    }

    private func refuse(_ count: Int) {
        dropped += count
        droppedCounter.increment(by: count)
        logger.warning("storage queue full: records refused", metadata: ["records": "\(count)", "capacity": "\(capacity)"])
    }
}
