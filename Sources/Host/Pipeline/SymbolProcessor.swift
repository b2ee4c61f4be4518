import Exchanges
import Indicators
import Model

/// One symbol's serial processing: keeps its ``SymbolView`` (rings, candles, book top, rating,
/// feed health) up to date from market events, runs the model on candle close and the
/// strategies on candle close and on every ticker or trade, and turns what they return into
/// `Signal` and `Alert` records. Lives on one shard; never touched from two threads.
final class SymbolProcessor {
    let symbol: CanonicalSymbol
    let exchange: Exchange
    /// The generation of its slot on the shard (see ``ShardEvent/generation``).
    let generation: UInt32
    let view: SymbolView
    /// One candle builder per configured interval, allocated once: updated in place on every
    /// trade without an array's uniqueness check.
    private let builders: UnsafeMutablePointer<CandleBuilder>
    private let builderCount: Int
    private var book = OrderBook()
    private var hasBook = false
    private var health: FeedHealth
    /// The connector's view of this feed, as of the last timer (nil before the first).
    private var connector: ConnectorHealth?
    /// `connector?.incidentFactor ?? 1`, read on every tick without touching the connector's counts.
    private var connectorFactor = 1.0
    private let strategies: (any SymbolStrategyRunner)?
    private let model: (any SymbolModel)?
    private let entry: LatestState.Entry
    private let output: ShardOutput
    private let symbolText: String
    private let exchangeText: String
    private let intervalNames: [String]
    /// Monotonic ns when the event being processed entered the router.
    private var enqueued: UInt64 = 0
    /// Whether the last price or book top changed since ``publishLatest()``: the shard writes
    /// them into the shared latest state once per batch of events, not under a lock per event.
    private(set) var latestPending = false

    init(symbol: CanonicalSymbol, exchange: Exchange, generation: UInt32, configuration: PipelineConfiguration,
         strategies: (any SymbolStrategyRunner)?, model: (any SymbolModel)?, entry: LatestState.Entry, output: ShardOutput) {
        self.symbol = symbol
        self.exchange = exchange
        self.generation = generation
        view = SymbolView(symbol: symbol, exchange: exchange, configuration: configuration)
        let builders = UnsafeMutablePointer<CandleBuilder>.allocate(capacity: max(1, configuration.intervals.count))
        for (k, interval) in configuration.intervals.enumerated() { (builders + k).initialize(to: CandleBuilder(interval: interval)) }
        self.builders = builders
        builderCount = configuration.intervals.count
        health = FeedHealth(configuration: configuration.health)
        self.strategies = strategies
        self.model = model
        self.entry = entry
        self.output = output
        symbolText = symbol.description
        exchangeText = exchange.rawValue
        intervalNames = configuration.intervals.map(\.description)
    }

    deinit {
        builders.deinitialize(count: builderCount)
        builders.deallocate()
    }

    /// Applies one market event for this symbol.
    func handle(_ event: ShardEvent) {
        enqueued = event.enqueued
        let now = event.receiveTime
        view.now = now
        view.eventTime = event.eventTime
        switch event.payload {
        case .trade(let price, let size, let takerBuys):
            health.recordMessage(at: now)
            let record = RecentTrade(time: event.eventTime, price: price, size: size, takerBuys: takerBuys)
            view.trades.append(record)
            view.lastPrice = price
            for k in 0..<builderCount {
                if let closed = builders[k].add(time: event.eventTime, price: price, size: size) { candleClosed(closed, k) }
            }
            if output.publishTicks { output.publish(.trade(symbol: symbol, exchange: exchange, record)) }
            tick()
        case .ticker(let last, let bid, let ask, let bidSize, let askSize):
            health.recordMessage(at: now)
            let record = RecentTick(time: event.eventTime, last: last, bid: bid, ask: ask, bidSize: bidSize, askSize: askSize)
            view.ticks.append(record)
            if !last.isNaN { view.lastPrice = last }
            if !bid.isNaN { view.top.bid = bid; view.top.bidSize = bidSize.isNaN ? nil : bidSize }
            if !ask.isNaN { view.top.ask = ask; view.top.askSize = askSize.isNaN ? nil : askSize }
            if output.publishTicks { output.publish(.tick(symbol: symbol, exchange: exchange, record)) }
            tick()
        case .other(let box):
            handle(box.event.payload, at: now)
        }
    }

    /// Applies an event other than a ticker or trade, received at `now`.
    private func handle(_ payload: MarketEvent.Payload, at now: Int64) {
        switch payload {
        case .bookSnapshot(let update):
            health.recordMessage(at: now)
            book.replace(with: update)
            hasBook = true
            setBookInSync(!book.isCrossed, at: now)
            bookTopChanged()
        case .bookDelta(let update):
            health.recordMessage(at: now)
            guard hasBook else { return }
            book.apply(update)
            if book.isCrossed {
                health.record(.crossedBook, at: now)
                setBookInSync(false, at: now)
            }
            bookTopChanged()
        case .resynced:
            health.record(.resync, at: now)
        case .disconnected:
            disconnected(at: now)
        case .heartbeat:
            health.recordMessage(at: now)
        case .ticker, .trade, .connected, .subscribed, .serverShutdown, .error, .other:
            break  // tickers and trades come flattened (ShardEvent)
        }
    }

    /// The connection this symbol's data came over dropped: its book can no longer be trusted
    /// until a new snapshot arrives.
    func disconnected(at now: Int64) {
        health.record(.reconnect, at: now)
        if hasBook {
            hasBook = false
            setBookInSync(false, at: now)
        }
    }

    /// A timer at `now`: closes candles whose interval has ended (running the model and the
    /// strategies on them, with the feed's health as of `now`) and publishes the feed status.
    func timer(now: Int64, connector: ConnectorHealth? = nil) {
        if let connector {
            self.connector = connector
            connectorFactor = connector.incidentFactor
        }
        view.now = now
        view.eventTime = now
        enqueued = monotonicNanoseconds()
        for k in 0..<builderCount {
            if let closed = builders[k].close(before: now) { candleClosed(closed, k) }
        }
        publishStatus(now: now)
    }

    /// Closes every open candle (the end of a replay).
    func flush() {
        enqueued = monotonicNanoseconds()
        for k in 0..<builderCount {
            if let closed = builders[k].flush() { candleClosed(closed, k) }
        }
        publishStatus(now: view.now)
    }

    private func setBookInSync(_ inSync: Bool, at now: Int64) {
        view.bookInSync = inSync
        health.isBookInSync = inSync
    }

    private func bookTopChanged() {
        let bid = book.bestBid, ask = book.bestAsk
        view.top = BookTop(bid: bid?.price.doubleValue, bidSize: bid?.size.doubleValue, ask: ask?.price.doubleValue, askSize: ask?.size.doubleValue)
        latestPending = true
    }

    /// Writes the last price, book top and event time into the symbol's latest-state entry.
    func publishLatest() {
        latestPending = false
        let price = view.lastPrice, top = view.top, time = view.eventTime
        entry.update {
            $0.lastPrice = price
            $0.top = top
            $0.time = time
        }
    }

    private func tick() {
        latestPending = true
        guard let strategies else { return }
        view.feedQuality = feedQuality(at: view.now)
        let outcome = strategies.onTick(market: view)
        if !outcome.isEmpty { emit(outcome, trigger: "tick") }
    }

    /// A candle of builder `k` closed: the model and the strategies first (what a signal waits
    /// for), then the candle's record for the latest state and the hub.
    private func candleClosed(_ candle: Candle, _ k: Int) {
        view.candles[k].append(candle)
        let interval = builders[k].interval, name = intervalNames[k]
        if let model, let rating = model.onCandle(candle, interval: interval) {
            view.rating = rating
            let record = RatingRecord(rating, time: view.now)
            entry.update { $0.rating = record }
        }
        if let strategies {
            view.feedQuality = feedQuality(at: view.now)
            let outcome = strategies.onCandle(candle, interval: interval, timeframe: name, market: view)
            if !outcome.isEmpty { emit(outcome, trigger: name) }
        }
        output.candleClosed()
        entry.update { $0.candles[name] = CandleRecord(candle) }
        output.publish(.candle(symbol: symbol, exchange: exchange, interval: interval, candle))
    }

    /// Turns a strategy outcome into records: the level becomes `unknown` when the feed's
    /// quality is below the threshold or the book is out of sync.
    private func emit(_ outcome: StrategyOutcome, trigger: String) {
        let trusted = view.feedQuality >= output.qualityThreshold && view.bookInSync
        let feed = Signal.Feed(quality: view.feedQuality, lastEventAgeMilliseconds: health.lastMessageAge(at: view.now), bookInSync: view.bookInSync)
        let transit = max(0, view.now - view.eventTime) * 1000
        for proposal in outcome.signals {
            let inProcess = monotonicNanoseconds() &- enqueued
            let signal = Signal(symbol: symbolText, exchange: exchangeText, time: view.eventTime,
                                level: trusted ? .rated(proposal.level) : .unknown, confidence: proposal.confidence,
                                reason: proposal.reason, strategy: proposal.strategy, strategyHash: proposal.strategyHash,
                                trigger: trigger, modelVersion: view.rating?.version, modelProbabilities: view.rating?.probabilities,
                                indicators: proposal.indicators, risk: proposal.risk, feed: feed,
                                latencyMicroseconds: transit + Int64(inProcess / 1000))
            output.signal(signal, latency: inProcess)
            entry.update {
                $0.signals[signal.strategy] = signal
                $0.indicators[signal.strategy] = signal.indicators
            }
        }
        for fired in outcome.alerts {
            output.alert(Alert(symbol: symbolText, exchange: exchangeText, time: view.eventTime, strategy: fired.strategy,
                               name: fired.name, severity: fired.severity, message: fired.message, price: view.lastPrice))
        }
        for fault in outcome.errors {
            output.fault(fault)
            entry.update { $0.lastError = fault }
        }
    }

    /// The feed's quality: what the events show (freshness, book sync, reconnects, crossed
    /// books), capped by the connector's own incident score (gaps, checksums, silences, ...).
    /// The lower of the two, so an incident both saw is not counted twice.
    private func feedQuality(at now: Int64) -> Double {
        min(health.quality(at: now), connectorFactor)
    }

    private func publishStatus(now: Int64) {
        var incidents: [String: UInt64] = [:]
        for incident in FeedIncident.allCases {
            let count = max(health.count(incident), connector?.incidents[incident] ?? 0)
            if count > 0 { incidents[incident.rawValue] = count }
        }
        let status = FeedStatus(symbol: symbolText, exchange: exchangeText, time: now, quality: feedQuality(at: now),
                                  lastEventAgeMilliseconds: health.lastMessageAge(at: now), bookInSync: view.bookInSync,
                                  messages: health.messages, messagesPerSecond: health.messagesPerSecond(at: now), incidents: incidents)
        view.feedQuality = status.quality
        entry.update { $0.feed = status }
        output.publish(.status(status))
    }
}
