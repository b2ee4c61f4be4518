import Exchanges
import Foundation

/// One worker thread and the symbols assigned to it: processes its queue in order, so each
/// symbol is handled serially while shards run in parallel. A producer may process its own
/// event in the worker's stead when the shard is idle (``submit(_:)``); the queue lets one owner
/// at a time process (``ShardQueue``), and everything below is touched only by the owner.
final class PipelineShard: @unchecked Sendable {
    let index: Int
    let queue: ShardQueue
    let output: ShardOutput
    private let configuration: PipelineConfiguration
    private let strategies: (any StrategyStage)?
    private let model: (any ModelStage)?
    /// The processors by slot (``ShardEvent/slot``; nil: free). Only touched by the shard's owner.
    private var processors: ContiguousArray<SymbolProcessor?> = []
    /// The close rehearsal (``PipelineConfiguration/closeRehearsal``), made with the first
    /// symbol. Only touched by the shard's owner.
    private var rehearsal: CloseRehearsal?
    private let finished = DispatchSemaphore(value: 0)
    /// The thread's CPU clock while it runs, then the CPU time it used in all.
    private let threadTime = Locked<(clock: clockid_t?, used: UInt64)>((nil, 0))

    init(index: Int, configuration: PipelineConfiguration, strategies: (any StrategyStage)?, model: (any ModelStage)?,
         hub: OutputHub) {
        self.index = index
        self.configuration = configuration
        self.strategies = strategies
        self.model = model
        queue = ShardQueue(capacity: configuration.queueCapacity, idleSpin: configuration.idleSpinNanoseconds,
                           callerRunsAfterIdle: configuration.callerRunsAfterIdleNanoseconds,
                           slowClaim: configuration.slowCallerRunNanoseconds)
        output = ShardOutput(hub: hub, configuration: configuration)
    }

    func start() {
        let name = "chloe-shard-\(index)"  // Linux thread names hold 15 bytes
        let thread = Thread { [self] in
            // Foundation does not name the system thread (ps, top and perf show this name)
            try? name.write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
            var clock = clockid_t()
            if pthread_getcpuclockid(pthread_self(), &clock) == 0 { threadTime.withLock { $0.clock = clock } }
            run()
            let used = nanoseconds(of: CLOCK_THREAD_CPUTIME_ID)
            threadTime.withLock { $0 = (nil, used) }  // the clock ends with the thread
            finished.signal()
        }
        thread.name = name
        thread.stackSize = 4 << 20
        thread.start()
    }

    /// CPU time the shard's thread has used so far, ns (processing, waiting on locks, parking and
    /// waking: everything but the time it was parked).
    var cpuNanoseconds: UInt64 {
        threadTime.withLock { $0.clock.map(nanoseconds(of:)) ?? $0.used }
    }

    /// Stops the thread after what is queued and waits for it.
    func stop() {
        queue.stop()
        finished.wait()
    }

    /// Hands `event` to the shard: processed at once on the caller's thread when the shard has
    /// been idle long enough (``PipelineConfiguration/callerRunsAfterIdle``), else queued for the
    /// shard's thread.
    func submit(_ event: consuming ShardEvent) {
        let enqueued = event.enqueued
        guard let claim = queue.claim(event, now: enqueued) else { return }
        let cpuBefore = claim.timeOnCPU ? nanoseconds(of: CLOCK_THREAD_CPUTIME_ID) : 0
        let eventTime = claim.event.eventTime
        let (outcome, touched) = process(claim.event)
        touched?.publishLatest()
        var done = monotonicNanoseconds()
        output.stats.withLock {
            $0.inlineEvents += 1
            $0.inlineNanoseconds += done &- enqueued
            switch outcome {
            case .processed:
                $0.events += 1
                _ = $0.queueLatency.record(0)
                _ = $0.eventLatency.record(done &- enqueued)
            case .unrouted:
                $0.unrouted += 1
            case .broadcast:
                break
            }
        }
        // only when nothing was queued meanwhile: a rehearsal never delays an event already waiting
        if let rehearsal, rehearsal.isDue(eventTime), !queue.hasQueued { rehearse(rehearsal, after: eventTime, now: &done) }
        queue.release(claimed: enqueued, now: done, cpu: claim.timeOnCPU ? nanoseconds(of: CLOCK_THREAD_CPUTIME_ID) &- cpuBefore : nil)
    }

    /// Runs `rehearsal` after an event at `eventTime` if it is time to (``CloseRehearsal``),
    /// counting it and moving `now` (monotonic ns) past it.
    private func rehearse(_ rehearsal: CloseRehearsal, after eventTime: Int64, now: inout UInt64) {
        guard rehearsal.rehearse(after: eventTime, now: now) else { return }
        let started = now
        now = monotonicNanoseconds()
        output.stats.withLock {
            $0.rehearsals += 1
            $0.rehearsalNanoseconds += now &- started
        }
    }

    /// What became of one market event.
    private enum Outcome {
        /// Its symbol's processor handled it.
        case processed
        /// A connection-wide event, handed to every processor it concerns.
        case broadcast
        /// Resolved before its symbol was stopped: nobody here handles it.
        case unrouted
    }

    /// Processes one market event; also returns its processor when the event made the
    /// processor's latest price or book top pending (``SymbolProcessor/publishLatest()``).
    /// Only the shard's owner (``ShardQueue``) calls it.
    @inline(__always)
    private func process(_ event: consuming ShardEvent) -> (Outcome, SymbolProcessor?) {
        let slot = Int(event.slot)
        if slot < processors.count, let processor = processors[slot], processor.generation == event.generation {
            let pending = processor.latestPending
            processor.handle(event)
            return (.processed, !pending && processor.latestPending ? processor : nil)
        }
        if event.slot == ShardEvent.broadcast {
            if case .other(let box) = event.payload, case .disconnected = box.event.payload {
                for case let processor? in processors where processor.exchange == box.event.exchange {
                    processor.disconnected(at: event.receiveTime)
                }
            }
            return (.broadcast, nil)
        }
        return (.unrouted, nil)
    }

    private func run() {
        var batch = ShardBuffer(capacity: configuration.queueCapacity)
        var events: UInt64 = 0, unrouted: UInt64 = 0
        var latencies = BatchLatencies(capacity: configuration.queueCapacity)
        /// Processors whose latest price or book top changed in this batch.
        var touched: [SymbolProcessor] = []
        /// The feed time of the batch's newest event or timer (for the close rehearsal; `.min`: none).
        var newest = Int64.min
        while queue.take(into: &batch) {
            let taken = monotonicNanoseconds()
            batch.drain { input in
                switch consume input {
                case .event(let event):
                    let enqueued = event.enqueued
                    newest = max(newest, event.eventTime)
                    let (outcome, processor) = process(event)
                    switch outcome {
                    case .processed:
                        if let processor { touched.append(processor) }
                        events += 1
                        latencies.append(queued: taken &- enqueued, processed: monotonicNanoseconds() &- enqueued)
                    case .unrouted:
                        unrouted += 1
                    case .broadcast:
                        break
                    }
                case .start(let symbol, let exchange, let slot, let generation, let entry):
                    if rehearsal == nil, let settings = configuration.closeRehearsal {
                        rehearsal = CloseRehearsal(settings: settings, configuration: configuration, strategies: strategies, model: model)
                    }
                    let index = Int(slot)
                    while processors.count <= index { processors.append(nil) }
                    processors[index] = SymbolProcessor(
                        symbol: symbol, exchange: exchange, generation: generation, configuration: configuration,
                        strategies: strategies?.makeSymbolStrategies(symbol: symbol, exchange: exchange, intervals: configuration.intervals),
                        model: model?.makeSymbolModel(symbol: symbol, exchange: exchange), entry: entry, output: output)
                case .stop(let slot, let generation):
                    let index = Int(slot)
                    if index < processors.count, processors[index]?.generation == generation { processors[index] = nil }
                case .timer(let now, let connectors):
                    newest = max(newest, now)  // a sparse feed's boundary is still rehearsed, on the timer's second before it
                    for case let processor? in processors {
                        processor.timer(now: now, connector: connectors[processor.exchange]?[processor.symbol])
                    }
                case .flush:
                    for case let processor? in processors { processor.flush() }
                case .barrier(let done):
                    publish(&touched)
                    record(events: &events, unrouted: &unrouted, latencies: &latencies)
                    done()
                }
            }
            publish(&touched)
            record(events: &events, unrouted: &unrouted, latencies: &latencies)
            // after the batch, and only when nothing waits: a rehearsal never delays an event queued before it
            if let rehearsal, newest > .min, rehearsal.isDue(newest), !queue.hasQueued {
                var now = monotonicNanoseconds()
                rehearse(rehearsal, after: newest, now: &now)
            }
            newest = .min
        }
    }

    /// Writes each touched processor's latest price and book top into the shared latest state:
    /// one lock per symbol per batch rather than one per event.
    private func publish(_ touched: inout [SymbolProcessor]) {
        guard !touched.isEmpty else { return }
        for processor in touched { processor.publishLatest() }
        touched.removeAll(keepingCapacity: true)
    }

    /// Adds a batch's counts to the shared statistics (one lock per batch, not per event).
    private func record(events: inout UInt64, unrouted: inout UInt64, latencies: inout BatchLatencies) {
        guard events > 0 || unrouted > 0 else { return }
        output.stats.withLock {
            $0.events += events
            $0.unrouted += unrouted
            latencies.record(into: &$0)
        }
        events = 0
        unrouted = 0
        latencies.removeAll()
    }
}
