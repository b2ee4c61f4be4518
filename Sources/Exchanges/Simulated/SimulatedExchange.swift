/// The `sim` exchange: a connector that needs no network. It replays recorded candles or
/// trades, or generates a seeded random-walk market, for any set of symbols, at a chosen
/// ``SimulatedSpeed``.
///
/// Events of all subscribed symbols go out merged in time order. Times are the simulated
/// clock's: a replay keeps its recorded times (a symbol subscribed later, or a replay that
/// loops, is shifted by whole days so candle boundaries stay aligned); event and receive time
/// are equal. The same sources and seed give the same events, every run.
public actor SimulatedExchange: ExchangeConnector {
    /// What happens when every subscribed replay has played to its end.
    public enum Exhausted: Sendable, Equatable {
        /// `run` returns (a replay command).
        case finish
        /// `run` waits for new subscriptions (a daemon).
        case idle
        /// Each replay starts again, shifted past its end by whole days (an endless demo).
        case loop
    }

    /// Tuning, every field with a default.
    public struct Configuration: Sendable {
        public var speed: SimulatedSpeed
        public var exhausted: Exhausted
        /// Generates symbols that have no recorded source; nil refuses them.
        public var randomWalk: RandomWalkParameters?
        /// Events sent between two yields of the run loop (lets subscribe, unsubscribe and
        /// cancellation in during an unpaced replay).
        public var yieldEvery: Int
        /// Health tuning for every symbol.
        public var health: FeedHealth.Configuration
        /// A paced replay plays on at once, instead of waiting, when the next event lies more
        /// than this many simulated milliseconds after the last one sent (a replay looping back
        /// to its start a day later, a hole in the data); nil waits through every gap.
        public var skipGapsLongerThan: Int64?

        public init(speed: SimulatedSpeed = .realTime, exhausted: Exhausted = .finish, randomWalk: RandomWalkParameters? = nil,
                    yieldEvery: Int = 256, health: FeedHealth.Configuration = .init(), skipGapsLongerThan: Int64? = nil) {
            self.speed = speed
            self.exhausted = exhausted
            self.randomWalk = randomWalk
            self.yieldEvery = yieldEvery
            self.health = health
            self.skipGapsLongerThan = skipGapsLongerThan
        }
    }

    public nonisolated let exchange = Exchange.sim
    public let configuration: Configuration
    private let sources: [CanonicalSymbol: SimulatedSource]
    private let clock: any SimulationClock
    private let wallMilliseconds: @Sendable () -> Int64
    private var feeds: [CanonicalSymbol: SimulatedFeed] = [:]
    private var healths: [CanonicalSymbol: FeedHealth] = [:]
    private var notices: [MarketEvent] = []
    /// The simulated time of the newest event sent.
    private var simulatedNow: Int64?
    /// Pacing anchor: simulated ms and clock ns of the first paced event.
    private var anchor: (simulated: Int64, clock: UInt64)?
    private let wake = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    /// Events sent so far.
    public private(set) var eventsSent: UInt64 = 0

    /// - Parameters:
    ///   - sources: recorded data (or walk parameters) per symbol.
    ///   - clock: the wall clock pacing uses.
    ///   - wallMilliseconds: epoch milliseconds now, where a random walk without a start time begins.
    public init(sources: [CanonicalSymbol: SimulatedSource] = [:], configuration: Configuration = .init(),
                clock: any SimulationClock = SystemSimulationClock(),
                wallMilliseconds: @escaping @Sendable () -> Int64 = SimulatedExchange.epochMilliseconds) {
        self.sources = sources
        self.configuration = configuration
        self.clock = clock
        self.wallMilliseconds = wallMilliseconds
    }

    /// The system's wall clock, epoch milliseconds.
    @Sendable public static func epochMilliseconds() -> Int64 { WallClock.milliseconds() }

    /// The symbols this exchange can play: those with recorded data (any with a random walk).
    public nonisolated var recordedSymbols: [CanonicalSymbol] { sources.keys.sorted() }

    public func run(sink: any MarketEventSink) async throws {
        sink.receive(MarketEvent(exchange: .sim, symbol: nil, eventTime: nil, receiveTime: simulatedNow ?? wallMilliseconds(),
                                 payload: .connected(ConnectionInfo(status: "online", version: "sim"))))
        var wakes = wake.stream.makeAsyncIterator()
        var sinceYield = 0
        while !Task.isCancelled {
            for notice in notices { sink.receive(notice) }
            notices.removeAll()
            guard let (symbol, time) = earliest() else {
                if !feeds.isEmpty, configuration.exhausted == .finish { return }
                guard await wakes.next(isolation: self) != nil else { return }
                continue
            }
            if let factor = configuration.speed.factor {
                var start = anchor ?? (time, clock.now())
                if let gap = configuration.skipGapsLongerThan, let last = simulatedNow, time - last > gap {
                    start = (time, clock.now())  // dead time: the clock jumps to the next event
                }
                anchor = start
                let deadline = start.clock + UInt64(max(0, Double(time - start.simulated) * 1_000_000 / factor))
                if deadline > clock.now() {
                    do { try await clock.sleep(until: deadline) } catch { return }
                    continue  // subscriptions may have changed while asleep
                }
            }
            guard let event = feeds[symbol]?.next() else { continue }
            simulatedNow = max(simulatedNow ?? time, time)
            healths[symbol]?.recordMessage(at: event.receiveTime)
            eventsSent += 1
            sink.receive(event)
            sinceYield += 1
            if sinceYield >= configuration.yieldEvery {
                sinceYield = 0
                await Task.yield()
            }
        }
    }

    /// The subscribed symbol with the earliest next event (ties go to the smaller symbol, so
    /// the order is deterministic); rewinds finished replays in `loop` mode.
    private func earliest() -> (CanonicalSymbol, Int64)? {
        var best: (CanonicalSymbol, Int64)?
        for (symbol, feed) in feeds {
            var time = feed.nextTime
            if time == nil, configuration.exhausted == .loop, feeds[symbol]!.rewind(after: simulatedNow ?? 0) {
                time = feeds[symbol]!.nextTime
            }
            guard let time else { continue }
            if best == nil || time < best!.1 || (time == best!.1 && symbol < best!.0) { best = (symbol, time) }
        }
        return best
    }

    public func subscribe(_ symbols: [CanonicalSymbol]) throws {
        let missing = symbols.filter { sources[$0] == nil && configuration.randomWalk == nil }
        guard missing.isEmpty else { throw SimulatedExchangeError.noData(missing, known: recordedSymbols) }
        var added: [CanonicalSymbol] = []
        for symbol in symbols where feeds[symbol] == nil {
            let source = sources[symbol] ?? .randomWalk(configuration.randomWalk!)
            var feed = SimulatedFeed(symbol: symbol, source: source, startTime: simulatedNow ?? wallMilliseconds())
            if let now = simulatedNow { feed.shift(toAtLeast: now) }
            feeds[symbol] = feed
            healths[symbol] = FeedHealth(configuration: configuration.health)
            added.append(symbol)
        }
        guard !added.isEmpty else { return }
        notices.append(MarketEvent(exchange: .sim, symbol: nil, eventTime: nil, receiveTime: simulatedNow ?? wallMilliseconds(),
                                   payload: .subscribed(Subscription(channels: ["trade", "ticker", "book"], symbols: added))))
        wake.continuation.yield()
    }

    public func unsubscribe(_ symbols: [CanonicalSymbol]) {
        for symbol in symbols {
            feeds[symbol] = nil
            healths[symbol] = nil
        }
    }

    public func symbols() -> [CanonicalSymbol] { feeds.keys.sorted() }

    public func health() -> [CanonicalSymbol: FeedHealth] { healths }
}
