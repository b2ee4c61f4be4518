import Exchanges
import Foundation
import Scripting

/// The API's view of the running pipeline: status (feed health merged with each connector's
/// own counts, rates, HdrHistogram latency percentiles, strategy states), latest signals,
/// per-symbol snapshots, and start/stop of symbols at run time.
public final class PipelineRealtimeState: RealtimeState {
    public let pipeline: Pipeline
    let library: StrategyLibrary?
    let registry: StrategyRegistry?
    let defaultExchange: Exchange
    let startedAt: Int64
    /// Closed candles per interval in a snapshot.
    let snapshotCandles: Int

    public init(pipeline: Pipeline, library: StrategyLibrary?, registry: StrategyRegistry?, defaultExchange: Exchange,
                startedAt: Int64 = Int64(Date.now.timeIntervalSince1970 * 1000), snapshotCandles: Int = 20) {
        self.pipeline = pipeline
        self.library = library
        self.registry = registry
        self.defaultExchange = defaultExchange
        self.startedAt = startedAt
        self.snapshotCandles = snapshotCandles
    }

    public func status() async -> RealtimeStatus {
        let snapshots = pipeline.state.snapshots()
        let symbols = snapshots.map { latest in
            SymbolStatus(symbol: latest.symbol, exchange: latest.exchange, feed: Self.feed(latest.feed),
                         eventsPerSecond: latest.feed.messagesPerSecond, lastPrice: latest.lastPrice,
                         messages: latest.feed.messages, incidents: latest.feed.incidents)
        }
        let statistics = pipeline.router.statistics()
        let histogram = statistics.signalLatency
        let quantiles = histogram.values(atPercentiles: [50, 90, 99])
        let latency = histogram.totalCount == 0 ? nil : RealtimeStatus.LatencyPercentiles(
            p50: Double(quantiles[0]) / 1000, p90: Double(quantiles[1]) / 1000, p99: Double(quantiles[2]) / 1000,
            max: Double(histogram.maxRecorded) / 1000, count: Int(histogram.totalCount))
        return RealtimeStatus(running: !snapshots.isEmpty, startedAt: startedAt, symbols: symbols,
                              eventsPerSecond: snapshots.reduce(0) { $0 + $1.feed.messagesPerSecond },
                              latency: latency, strategies: strategyStates())
    }

    public func latestSignals(_ filter: LatestSignalFilter) async -> [Signal] {
        let symbol = filter.symbol.flatMap { SymbolNames.resolve($0, on: defaultExchange) }
        if filter.symbol != nil && symbol == nil { return [] }
        return pipeline.state.latestSignals(symbol: symbol, strategy: filter.strategy).filter { signal in
            (filter.level == nil || signal.level == filter.level) && (filter.since.map { signal.time >= $0 } ?? true)
        }
    }

    public func snapshot(symbol: String) async -> SymbolSnapshot? {
        guard let canonical = resolve(symbol), let latest = pipeline.state.snapshot(of: canonical) else { return nil }
        var candles: [String: [StoredCandle]] = [:]
        for (interval, candle) in latest.candles {
            candles[interval] = [StoredCandle(symbol: latest.symbol, exchange: latest.exchange, interval: interval, time: candle.time,
                                              open: candle.open, high: candle.high, low: candle.low, close: candle.close, volume: candle.volume)]
        }
        var indicators: [String: Double] = [:]
        for (strategy, values) in latest.indicators {
            for (name, value) in values { indicators["\(strategy).\(name)"] = value }
        }
        let rating = latest.rating.map {
            SymbolSnapshot.Rating(level: .rated($0.level), probabilities: $0.probabilities, modelVersion: $0.version, time: $0.time)
        }
        return SymbolSnapshot(symbol: latest.symbol, exchange: latest.exchange, lastPrice: latest.lastPrice, bestBid: latest.top.bid,
                              bestAsk: latest.top.ask, candles: candles, indicators: indicators, rating: rating, feed: Self.feed(latest.feed))
    }

    public func start(symbols: [String], exchange: Exchange?) async throws(RealtimeControlError) -> RealtimeChange {
        try await change(symbols, exchange: exchange, start: true)
    }

    public func stop(symbols: [String], exchange: Exchange?) async throws(RealtimeControlError) -> RealtimeChange {
        try await change(symbols, exchange: exchange, start: false)
    }

    private func change(_ names: [String], exchange: Exchange?, start: Bool) async throws(RealtimeControlError) -> RealtimeChange {
        let exchange = exchange ?? defaultExchange
        guard pipeline.exchanges.contains(exchange) else {
            throw RealtimeControlError(status: 409, message: "exchange '\(exchange.rawValue)' has no configured feed; configured: \(pipeline.exchanges.map(\.rawValue).joined(separator: ", "))")
        }
        let symbols: [CanonicalSymbol]
        do {
            symbols = try SymbolNames.resolve(names, on: exchange)
        } catch {
            throw RealtimeControlError(status: 400, message: "\(error)")
        }
        let before = Set(pipeline.state.symbols)
        let changing = symbols.filter { before.contains($0) != start }
        let unchanged = symbols.filter { before.contains($0) == start }
        if !changing.isEmpty {
            do {
                if start {
                    try await pipeline.start(changing.map(\.description), on: exchange)
                } else {
                    try await pipeline.stop(changing.map(\.description), on: exchange)
                    for symbol in changing { registry?.forget(symbol: symbol.description) }
                }
            } catch let error as SimulatedExchangeError {
                throw RealtimeControlError(status: 404, message: error.message)
            } catch {
                throw RealtimeControlError(status: 409, message: "\(error)")
            }
            await pipeline.router.drain()
        }
        return RealtimeChange(changed: changing.map(\.description), unchanged: unchanged.map(\.description),
                              symbols: pipeline.state.symbols.map(\.description))
    }

    private func resolve(_ name: String) -> CanonicalSymbol? {
        if let symbol = SymbolNames.resolve(name, on: defaultExchange), pipeline.state.snapshot(of: symbol) != nil { return symbol }
        for exchange in pipeline.exchanges {
            if let symbol = SymbolNames.resolve(name, on: exchange), pipeline.state.snapshot(of: symbol) != nil { return symbol }
        }
        return nil
    }

    private func strategyStates() -> [RealtimeStatus.StrategyState] {
        guard let library else { return [] }
        return library.statuses().map { status in
            let symbols = registry?.symbols(of: status.name) ?? []
            let parked = registry?.parkedSymbols(of: status.name) ?? []
            let state = status.live == nil ? "failed" : (!symbols.isEmpty && Set(symbols).isSubset(of: parked) ? "parked" : "running")
            let lastError = status.lastError?.description
                ?? registry?.lastErrors(of: status.name).values.sorted { $0.symbol < $1.symbol }.last.map { "\($0.symbol): \($0.message)" }
            return RealtimeStatus.StrategyState(name: status.name, hash: status.live?.hash ?? "", state: state, symbols: symbols,
                                                lastError: lastError)
        }
    }

    static func feed(_ status: FeedStatus) -> Signal.Feed {
        Signal.Feed(quality: status.quality, lastEventAgeMilliseconds: status.lastEventAgeMilliseconds, bookInSync: status.bookInSync)
    }
}
