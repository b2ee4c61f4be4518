import Exchanges
import Foundation
import Logging
import ServiceLifecycle

/// Carries the pipeline's records out of it: signals and alerts through the
/// ``RecordPublisher`` (stored before they are sent anywhere), closed candles to storage and
/// the `candles` channel, feed status to WebSocket clients, strategy errors to storage and the
/// `status` channel. Each kind reads its own bounded subscription, so a slow database never
/// holds back the others, and the pipeline never waits for either. Ticks and trades go to the
/// clients straight from the shard thread (``OutputHub/attach(channels:_:)``): their frames are
/// built there and put into each client's bounded queue, with no task hop on the way.
struct RecordForwarder: Service {
    let hub: OutputHub
    let publisher: RecordPublisher
    let storage: Storage
    let logger: Logger
    /// Signals and alerts waiting for a commit at most (beyond, the oldest are dropped and counted).
    var recordCapacity = 100_000
    var marketCapacity = 8192

    func run() async throws {
        let records = hub.subscribe(channels: [.signals, .alerts], capacity: recordCapacity)
        let market = hub.subscribe(channels: [.candles, .status], capacity: marketCapacity)
        let broadcaster = publisher.broadcaster
        hub.attach(channels: [.ticks]) { record in Self.forwardTick(record, to: broadcaster) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await forwardRecords(records) }
            group.addTask { await forwardMarket(market) }
            try? await gracefulShutdown()
            // the pipeline stopped first (it comes later in the service group): send what it left
            records.cancel()
            market.cancel()
        }
        if records.dropped > 0 || market.dropped > 0 {
            logger.warning("pipeline records dropped by a slow consumer",
                           metadata: ["signals_alerts": "\(records.dropped)", "market": "\(market.dropped)"])
        }
    }

    private func forwardRecords(_ subscription: OutputSubscription) async {
        while let first = await subscription.next() {
            var signals: [Signal] = [], alerts: [Alert] = []
            for record in [first] + subscription.drain() {
                switch record {
                case .signal(let signal): signals.append(signal)
                case .alert(let alert): alerts.append(alert)
                default: break
                }
            }
            do {
                try await publisher.publish(signals: signals, alerts: alerts)
            } catch {
                logger.error("signals not stored, so not sent", metadata: ["signals": "\(signals.count)", "alerts": "\(alerts.count)",
                                                                           "error": "\(error)"])
            }
        }
    }

    /// A tick or trade to the clients of the `ticks` channel (on the shard thread).
    private static func forwardTick(_ record: PipelineRecord, to broadcaster: Broadcaster) {
        switch record {
        case .tick(let symbol, let exchange, let tick):
            let name = symbol.description
            broadcaster.publish(on: .ticks, symbol: name) { TickMessage(symbol: name, exchange: exchange.rawValue, tick).bytes }
        case .trade(let symbol, let exchange, let trade):
            let name = symbol.description
            broadcaster.publish(on: .ticks, symbol: name) { TradeMessage(symbol: name, exchange: exchange.rawValue, trade).bytes }
        default:
            break
        }
    }

    private func forwardMarket(_ subscription: OutputSubscription) async {
        let broadcaster = publisher.broadcaster, writer = publisher.writer
        while let first = await subscription.next() {
            var candles: [StoredCandle] = []
            for record in [first] + subscription.drain() {
                switch record {
                case .candle(let symbol, let exchange, let interval, let candle):
                    let stored = StoredCandle(symbol: symbol.description, exchange: exchange.rawValue, interval: interval.description,
                                              time: candle.time, open: candle.open, high: candle.high, low: candle.low,
                                              close: candle.close, volume: candle.volume)
                    candles.append(stored)
                    broadcaster.publish(stored, on: .candles, symbol: stored.symbol)
                case .status(let status):
                    broadcaster.publish(status, on: .status, symbol: status.symbol)
                case .strategyError(let failure):
                    broadcaster.publish(failure, on: .status, symbol: failure.symbol)
                    _ = try? await storage.record(StrategyErrorRecord(
                        name: failure.strategy, symbol: failure.symbol, time: Int64(Date.now.timeIntervalSince1970 * 1000),
                        line: failure.line, message: failure.parked ? "parked: \(failure.message)" : failure.message))
                case .signal, .alert, .tick, .trade:
                    break
                }
            }
            if !candles.isEmpty { _ = await writer.enqueue(candles: candles) }
        }
    }
}

/// A ticker update on the `ticks` channel (fields the exchange did not send are absent).
struct TickMessage: Encodable {
    let kind = "ticker"
    let symbol: String
    let exchange: String
    let time: Int64
    let last, bid, ask, bidSize, askSize: Double?

    init(symbol: String, exchange: String, _ tick: RecentTick) {
        self.symbol = symbol
        self.exchange = exchange
        time = tick.time
        last = tick.last.isNaN ? nil : tick.last
        bid = tick.bid.isNaN ? nil : tick.bid
        ask = tick.ask.isNaN ? nil : tick.ask
        bidSize = tick.bidSize.isNaN ? nil : tick.bidSize
        askSize = tick.askSize.isNaN ? nil : tick.askSize
    }

    /// The JSON its `Encodable` form gives through ``RecordCoding``, written by hand, as UTF-8.
    var bytes: [UInt8] {
        var object = JSONText()
        object.member("ask", ask)
        object.member("ask_size", askSize)
        object.member("bid", bid)
        object.member("bid_size", bidSize)
        object.member("exchange", exchange)
        object.member("kind", kind)
        object.member("last", last)
        object.member("symbol", symbol)
        object.member("time", time)
        return object.closeBytes()
    }
}

/// A trade on the `ticks` channel.
struct TradeMessage: Encodable {
    let kind = "trade"
    let symbol: String
    let exchange: String
    let time: Int64
    let price: Double
    let size: Double
    let side: String

    init(symbol: String, exchange: String, _ trade: RecentTrade) {
        self.symbol = symbol
        self.exchange = exchange
        time = trade.time
        price = trade.price
        size = trade.size
        side = trade.takerBuys ? "buy" : "sell"
    }

    /// The JSON its `Encodable` form gives through ``RecordCoding``, written by hand, as UTF-8.
    var bytes: [UInt8] {
        var object = JSONText()
        object.member("exchange", exchange)
        object.member("kind", kind)
        object.member("price", price)
        object.member("side", side)
        object.member("size", size)
        object.member("symbol", symbol)
        object.member("time", time)
        return object.closeBytes()
    }
}
