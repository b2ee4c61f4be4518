import Foundation
import Synchronization

/// A shard's inbox: producers append under a lock, the shard's thread takes everything
/// queued in one swap of buffers (``ShardBuffer``; inputs are moved, never copied). Bounded: a
/// producer finding it full waits (backpressure to the connector, so a replay running flat out
/// cannot outrun the pipeline or lose events).
///
/// Whoever processes the shard's inputs owns it, one at a time: its worker thread, or a
/// producer that claimed it (``claim(_:now:)``) to process its own event at once, on its own
/// thread, instead of waking the parked worker. A producer may claim only a shard that holds
/// nothing, is processing nothing and has been idle for `callerRunsAfterIdle` nanoseconds: its
/// event then comes after everything before it, and under load (events closer together than
/// that) the worker takes over and the producers go back to only queueing. Recent processing
/// does not count as load by itself: an event that arrives at once after a long claim (or a
/// long batch of the worker's) was held up by it, not sent close behind the event before, so
/// it is claimed too when it arrived `callerRunsAfterIdle` after the event before it and
/// claims have taken under half of the recent time (``claimedShare(at:)``). Otherwise a candle
/// close processed by the producer (100 µs, cold) sent the next events to the parked worker,
/// whose wake-up and cold core cost more than the close. An event that kept
/// its producer longer than `slowClaim` (a strategy stuck until its instruction budget ran
/// out, say) sends the shard's events to its thread for ``slowClaimBackoff``: a slow script then
/// holds up its own shard, as without claims, and not the connector that delivers other
/// symbols' events too. Time a producer spent preempted is not the script's: a claim that took
/// too long by the wall clock has the next claim timed on its thread's CPU clock as well
/// (``ShardClaim/timeOnCPU``), and only a claim that is slow on that clock stops claims. A
/// stuck script holds its producer up twice, a busy machine never stops claims.
///
/// An idle shard first spins for up to `idleSpin` nanoseconds, watching the queued count
/// without the lock, and only then parks on a semaphore: an event arriving within the spin is
/// taken without the wake-up a parked thread needs (a futex call by the producer and a thread
/// switch on the shard's core, several µs and the bulk of the queue's latency tail), and a
/// producer that finds the shard spinning makes no system call. A shard with nothing to do
/// parks after the spin, so an idle pipeline uses no CPU.
final class ShardQueue: @unchecked Sendable {
    /// Who is processing the shard's inputs.
    private enum Owner {
        case nobody, worker, producer
    }

    /// Guards the buffers and flags; producers waiting for room wait on it.
    private let condition = NSCondition()
    /// Where the consumer parks; signalled once for each time it parks.
    private let wake = DispatchSemaphore(value: 0)
    private var items: ShardBuffer
    private let capacity: Int
    private let idleSpin: UInt64
    /// Nanoseconds a shard must have been idle for a producer to claim it (nil: never).
    private let callerRunsAfterIdle: UInt64?
    /// Inputs queued: written under the lock, read without it by the spinning consumer.
    private let queued = Atomic<Int>(0)
    private var stopped = false
    private var consumerParked = false
    private var owner = Owner.nobody
    /// When the shard last finished processing (monotonic ns).
    private var idleSince: UInt64 = 0
    /// When the last event was offered to ``claim(_:now:)`` (monotonic ns).
    private var lastArrival: UInt64 = 0
    /// Nanoseconds spent in claims, each decayed by half every ``claimHalfLife`` since it
    /// ended, as of `claimBusyAt`: a rolling measure of how busy claims keep the producers.
    private var claimBusy = 0.0
    private var claimBusyAt: UInt64 = 0
    /// Half-life of ``claimBusy``, ns.
    static let claimHalfLife = 1_000_000.0
    /// No claim before this time (monotonic ns): set after a slow claim.
    private var claimsAllowedFrom: UInt64 = 0
    /// The last claim was slow by the wall clock: the next is timed on its thread's CPU clock.
    private var timeNextClaimOnCPU = false
    /// The default of ``slowClaimLimit``, ns.
    static let slowClaim: UInt64 = 500_000
    /// A claim longer than this (ns) stops claims for ``slowClaimBackoff``.
    private let slowClaimLimit: UInt64
    /// How long producers leave a shard to its thread after a slow claim (ns).
    static let slowClaimBackoff: UInt64 = 1_000_000_000
    private var producersWaiting = 0
    /// Times a producer had to wait (read under the lock by ``waits``).
    private var waitCount: UInt64 = 0

    /// - Parameters:
    ///   - capacity: events held before producers wait.
    ///   - idleSpin: nanoseconds the consumer spins on an empty queue before parking (0: park at once).
    ///   - callerRunsAfterIdle: nanoseconds a shard must have been idle before a producer may
    ///     process its event itself (nil: producers only queue).
    ///   - slowClaim: a claim longer than this (ns) sends the shard's events to its thread for
    ///     ``slowClaimBackoff``.
    init(capacity: Int, idleSpin: UInt64 = 0, callerRunsAfterIdle: UInt64? = nil, slowClaim: UInt64 = ShardQueue.slowClaim) {
        slowClaimLimit = slowClaim
        self.capacity = capacity
        self.idleSpin = idleSpin
        self.callerRunsAfterIdle = callerRunsAfterIdle
        items = ShardBuffer(capacity: capacity)
    }

    var waits: UInt64 { condition.withLock { waitCount } }

    /// Whether inputs are queued, read without the lock (a hint: one may arrive right after).
    var hasQueued: Bool { queued.load(ordering: .relaxed) > 0 }

    /// Whether nothing is queued and nobody is processing.
    var isIdle: Bool { condition.withLock { owner == .nobody && items.isEmpty } }

    /// Appends `item`, waiting while the queue is full unless `control` (control messages
    /// always go in, so a stop or barrier cannot deadlock behind a full queue).
    func put(_ item: consuming ShardInput, control: Bool = false) {
        condition.lock()
        append(item, control: control)
    }

    /// Either claims the shard for the caller, who must then process the claim's event itself
    /// and call ``release(claimed:now:cpu:)``; or queues the event as ``put(_:control:)`` does,
    /// returning nil. `now`: the monotonic clock, ns.
    func claim(_ event: consuming ShardEvent, now: UInt64) -> ShardClaim? {
        condition.lock()
        // producers on other threads may reach the lock with an older clock reading: no time then
        let idleFor = now > idleSince ? now - idleSince : 0
        let arrivedAfter = now > lastArrival ? now - lastArrival : 0
        lastArrival = max(lastArrival, now)
        if let after = callerRunsAfterIdle, owner == .nobody, items.isEmpty, !stopped, now >= claimsAllowedFrom,
           idleFor >= after || (arrivedAfter >= after && claimedShare(at: now) < 0.5) {
            owner = .producer
            let timeOnCPU = timeNextClaimOnCPU
            condition.unlock()
            return ShardClaim(event: event, timeOnCPU: timeOnCPU)
        }
        append(.event(event), control: false)
        return nil
    }

    /// Ends a producer's claim made at `claimed`: the shard is idle from `now` (both monotonic
    /// ns), and its worker is woken if inputs came in meanwhile (or the queue was stopped
    /// meanwhile). `cpu`: the CPU time the claim took on its thread (ns), when the claim said
    /// to time it (``ShardClaim/timeOnCPU``).
    func release(claimed: UInt64, now: UInt64, cpu: UInt64? = nil) {
        condition.lock()
        owner = .nobody
        idleSince = now
        claimBusy = decayedClaimBusy(at: now) + Double(now &- claimed)
        claimBusyAt = now
        if let cpu {
            timeNextClaimOnCPU = false
            if cpu > slowClaimLimit { claimsAllowedFrom = now &+ Self.slowClaimBackoff }
        } else if now &- claimed > slowClaimLimit {
            timeNextClaimOnCPU = true
        }
        let parked = consumerParked && (!items.isEmpty || stopped)
        if parked { consumerParked = false }
        condition.unlock()
        if parked { wake.signal() }
    }

    /// ``claimBusy`` decayed to `now`.
    private func decayedClaimBusy(at now: UInt64) -> Double {
        now > claimBusyAt ? claimBusy * exp2(-Double(now - claimBusyAt) / Self.claimHalfLife) : claimBusy
    }

    /// The share of recent time producers spent in claims: 1 when they have done nothing else
    /// for several half-lives (the decayed sum of claim time then nears `claimHalfLife / ln 2`).
    private func claimedShare(at now: UInt64) -> Double {
        decayedClaimBusy(at: now) * M_LN2 / Self.claimHalfLife
    }

    /// Appends under the lock the caller took, and releases it.
    private func append(_ item: consuming ShardInput, control: Bool) {
        if !control {
            while items.count >= capacity && !stopped {
                waitCount &+= 1
                producersWaiting += 1
                condition.wait()
                producersWaiting -= 1
            }
        }
        guard !stopped else {
            condition.unlock()
            if case .barrier(let done) = item { done() }  // nothing left to wait for
            return
        }
        items.append(item)
        queued.store(items.count, ordering: .releasing)
        // A producer's claim ends with a wake if needed; waking the worker now would only park it again.
        let parked = consumerParked && owner == .nobody
        if parked { consumerParked = false }
        condition.unlock()
        if parked { wake.signal() }
    }

    /// Swaps everything queued into `batch` (which must be empty), waiting for at least one
    /// item (spinning first, then parked) and for a producer's claim to end. The worker owns
    /// the shard until its next call. Returns false once stopped and empty.
    func take(into batch: inout ShardBuffer) -> Bool {
        if idleSpin > 0 && queued.load(ordering: .acquiring) == 0 { spin() }
        condition.lock()
        if owner == .worker {
            owner = .nobody
            if items.isEmpty { idleSince = monotonicNanoseconds() }
        }
        while owner == .producer || (items.isEmpty && !stopped) {
            consumerParked = true
            condition.unlock()
            wake.wait()
            condition.lock()
        }
        if items.isEmpty {
            condition.unlock()
            return false
        }
        owner = .worker
        swap(&items, &batch)
        queued.store(0, ordering: .releasing)
        let producers = producersWaiting > 0
        condition.unlock()
        if producers { condition.broadcast() }
        return true
    }

    /// Waits up to `idleSpin` ns for something to be queued, without the lock or a system call
    /// (the clock is read every 64 checks).
    private func spin() {
        let deadline = monotonicNanoseconds() &+ idleSpin
        var checks = 0
        while queued.load(ordering: .relaxed) == 0 {
            checks &+= 1
            if checks & 63 == 0 && monotonicNanoseconds() >= deadline { return }
        }
    }

    /// Wakes everyone; later puts are ignored, the consumer finishes what is queued (after a
    /// producer's claim ends).
    func stop() {
        condition.lock()
        stopped = true
        let parked = consumerParked
        consumerParked = false
        condition.unlock()
        condition.broadcast()
        if parked { wake.signal() }
    }
}

/// A producer's claim of a shard (``ShardQueue/claim(_:now:)``): the event it must process.
struct ShardClaim {
    let event: ShardEvent
    /// Whether to time the processing on the thread's CPU clock and hand that time to
    /// ``ShardQueue/release(claimed:now:cpu:)`` (the claim before was slow by the wall clock).
    let timeOnCPU: Bool
}
