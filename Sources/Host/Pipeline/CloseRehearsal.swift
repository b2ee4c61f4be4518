import Exchanges

/// One shard's close rehearsal (``CloseRehearsalSettings``): a scratch symbol with its own
/// processor, strategies (``StrategyStage/makeRehearsalStrategies(symbol:exchange:intervals:)``)
/// and model instance, whose records go to an output nobody reads. When an event of the shard
/// comes within `lead` of the next candle boundary (in the feed's time), and no rehearsal ran in
/// the last `spacing` (wall clock), the shard feeds it one trade that closes its smallest-interval
/// candle, on the thread that processed the event: model, strategies, signal records and output
/// run as for a real close, just before the real ones. Only the shard's owner touches it.
final class CloseRehearsal {
    /// The scratch symbol's name: never started, never listed, never published.
    static let symbol = CanonicalSymbol(base: "REHEARSAL", quote: "CHLOE")

    private let processor: SymbolProcessor
    /// Candle lengths, ms.
    private let intervals: [Int64]
    /// The scratch feed's clock step: the smallest interval, so every trade closes a candle.
    private let step: Int64
    private let lead: Int64
    private let spacing: UInt64
    /// Events at or after this feed time (ms) may rehearse: the next boundary less `lead`.
    private var from = Int64.min
    /// The next candle boundary after the last event looked at (feed time, ms).
    private var boundary = Int64.min
    /// When the last rehearsal started (monotonic ns).
    private var last: UInt64 = 0
    /// The scratch feed's time and trade count.
    private var clock: Int64 = 0
    private var trades = 0

    init(settings: CloseRehearsalSettings, configuration: PipelineConfiguration, strategies: (any StrategyStage)?,
         model: (any ModelStage)?) {
        let symbol = Self.symbol, exchange = Exchange.sim
        intervals = configuration.intervals.map(\.milliseconds)
        step = intervals.min() ?? 60_000
        let (seconds, attoseconds) = settings.lead.components
        lead = max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        spacing = PipelineConfiguration.nanoseconds(settings.spacing)
        // an output of its own: the hub has no subscribers, the counts are nobody's
        let output = ShardOutput(hub: OutputHub(), configuration: configuration)
        processor = SymbolProcessor(
            symbol: symbol, exchange: exchange, generation: 0, configuration: configuration,
            strategies: strategies?.makeRehearsalStrategies(symbol: symbol, exchange: exchange, intervals: configuration.intervals),
            model: model?.makeSymbolModel(symbol: symbol, exchange: exchange),
            entry: LatestState.Entry(SymbolLatest(symbol: symbol.description, exchange: exchange.rawValue)), output: output)
    }

    /// Whether an event at `eventTime` (feed time, ms) is near enough a boundary to look
    /// further: one comparison on every event.
    @inline(__always)
    func isDue(_ eventTime: Int64) -> Bool { eventTime >= from }

    /// Rehearses a close if `eventTime` is within `lead` of the next boundary and the last
    /// rehearsal started at least `spacing` before `now` (monotonic ns). Returns whether it did.
    func rehearse(after eventTime: Int64, now: UInt64) -> Bool {
        if eventTime >= boundary {
            boundary = nextBoundary(after: eventTime)
            from = boundary &- lead
            guard eventTime >= from else { return false }
        }
        guard now &- last >= spacing else { return false }
        last = now
        // two prices in turn, so the scratch candles move and indicators over them are defined
        let price = trades & 1 == 0 ? 100.0 : 100.5
        trades += 1
        clock &+= step
        processor.handle(ShardEvent(trade: price, size: 1, time: clock, enqueued: now))
        return true
    }

    /// The first multiple of any interval after `time` (candles open at whole multiples of
    /// their interval since the epoch). Wraps rather than traps for times no feed sends.
    private func nextBoundary(after time: Int64) -> Int64 {
        var next = Int64.max
        for length in intervals {
            let remainder = ((time % length) &+ length) % length
            next = min(next, time &- remainder &+ length)
        }
        return next
    }
}
