import Exchanges
import Foundation
import Indicators
import Testing
@testable import Host

/// Builders of market events and a recording strategy stage, shared by the pipeline tests.
enum Market {
    static let btc = CanonicalSymbol(base: "BTC", quote: "USDT")
    static let eth = CanonicalSymbol(base: "ETH", quote: "USDT")

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func trade(_ symbol: CanonicalSymbol, at time: Int64, price: String, size: String = "1", id: String = "",
                      exchange: Exchange = .sim, received: Int64? = nil) -> MarketEvent {
        MarketEvent(exchange: exchange, symbol: symbol, eventTime: time, receiveTime: received ?? time,
                    payload: .trade(Trade(price: ExactDecimal(price)!, size: ExactDecimal(size)!, takerSide: .buy, id: id)))
    }

    static func ticker(_ symbol: CanonicalSymbol, at time: Int64, last: String, bid: String? = nil, ask: String? = nil) -> MarketEvent {
        MarketEvent(exchange: .sim, symbol: symbol, eventTime: time, receiveTime: time,
                    payload: .ticker(Ticker(last: ExactDecimal(last), bid: bid.flatMap { ExactDecimal($0) }, ask: ask.flatMap { ExactDecimal($0) })))
    }

    static func book(_ symbol: CanonicalSymbol, at time: Int64, snapshot: Bool, bids: [(String, String)], asks: [(String, String)]) -> MarketEvent {
        let update = BookUpdate(bids: bids.map { BookLevel(price: ExactDecimal($0.0)!, size: ExactDecimal($0.1)!) },
                                asks: asks.map { BookLevel(price: ExactDecimal($0.0)!, size: ExactDecimal($0.1)!) })
        return MarketEvent(exchange: .sim, symbol: symbol, eventTime: time, receiveTime: time,
                           payload: snapshot ? .bookSnapshot(update) : .bookDelta(update))
    }
}

/// A strategy stage that records what each call saw and emits a signal on every call of
/// its trigger (`tick` or an interval), for tests.
final class RecordingStrategies: StrategyStage, @unchecked Sendable {
    struct Call: Sendable, Equatable {
        var symbol: CanonicalSymbol
        var trigger: String
        var price: Double?
        var time: Int64
        var thread: String
        var ticks: Int
        var trades: Int
    }

    let trigger: String
    private let lock = NSLock()
    private var recorded: [Call] = []
    /// Runs inside each call (to block a shard, for instance).
    let inside: @Sendable (CanonicalSymbol) -> Void

    init(trigger: String = "tick", inside: @escaping @Sendable (CanonicalSymbol) -> Void = { _ in }) {
        self.trigger = trigger
        self.inside = inside
    }

    var calls: [Call] { lock.withLock { recorded } }

    func makeSymbolStrategies(symbol: CanonicalSymbol, exchange: Exchange, intervals: [CandleInterval]) -> any SymbolStrategyRunner {
        Runner(stage: self, symbol: symbol)
    }

    fileprivate func record(_ call: Call) {
        lock.withLock { recorded.append(call) }
    }

    final class Runner: SymbolStrategyRunner {
        let stage: RecordingStrategies
        let symbol: CanonicalSymbol

        init(stage: RecordingStrategies, symbol: CanonicalSymbol) {
            self.stage = stage
            self.symbol = symbol
        }

        func onCandle(_ candle: Candle, interval: CandleInterval, timeframe: String, market: SymbolView) -> StrategyOutcome {
            guard stage.trigger == timeframe else { return .none }
            return call(market, trigger: timeframe)
        }

        func onTick(market: SymbolView) -> StrategyOutcome {
            guard stage.trigger == "tick" else { return .none }
            return call(market, trigger: "tick")
        }

        private func call(_ market: SymbolView, trigger: String) -> StrategyOutcome {
            stage.inside(symbol)
            stage.record(Call(symbol: symbol, trigger: trigger, price: market.lastPrice, time: market.eventTime,
                              thread: "\(pthread_self())", ticks: market.ticks.count, trades: market.trades.count))
            return StrategyOutcome(signals: [StrategyProposal(strategy: "recorder", strategyHash: "h", level: .buy, reason: "seen",
                                                              indicators: ["price": market.lastPrice ?? .nan])])
        }
    }
}

/// Reads every record a subscription has queued.
extension OutputSubscription {
    var signals: [Signal] { drain().compactMap { if case .signal(let s) = $0 { s } else { nil } } }
}
