import Indicators
import Testing
@testable import Scripting

/// The view's candle rings: one per timeframe, made at the start for the timeframes given and
/// on first use for others, each holding only its own candles.
@Suite struct MarketViewTests {
    static func candle(_ minute: Int64, close: Double) -> Candle {
        Candle(time: minute * 60_000, open: close, high: close + 1, low: close - 1, close: close, volume: 10)
    }

    @Test func eachTimeframeKeepsItsOwnCandlesAndLastClose() {
        let view = MarketView(symbol: "A/B", exchange: "t", historyCapacity: 3, timeframes: ["1m", "5m"])
        #expect(view.lastCandle("1m") == nil)
        let oneMinute = view.history("1m"), fiveMinutes = view.history("5m")
        #expect(oneMinute.count == 0 && fiveMinutes.count == 0)
        for minute in 0..<5 { view.record(candle: Self.candle(Int64(minute), close: 100 + Double(minute)), timeframe: "1m") }
        view.record(candle: Self.candle(0, close: 200), timeframe: "5m")
        // the rings made at the start are the ones recorded into, each capped at its capacity
        #expect(view.history("1m") === oneMinute && oneMinute.count == 3)
        #expect(view.history("5m") === fiveMinutes && fiveMinutes.count == 1)
        #expect(oneMinute.row(age: 0)?[4] == 104 && oneMinute.row(age: 2)?[4] == 102)
        #expect(view.lastCandle("1m")?.close == 104 && view.lastCandle("5m")?.close == 200)
        #expect(view.lastPrice == 200)
    }

    @Test func aTimeframeNotGivenIsMadeOnFirstUse() {
        let view = MarketView(symbol: "A/B", exchange: "t", historyCapacity: 4, timeframes: ["1m"])
        #expect(view.lastCandle("1h") == nil)
        view.record(candle: Self.candle(60, close: 50), timeframe: "1h")
        #expect(view.history("1h").count == 1 && view.history("1m").count == 0)
        #expect(view.lastCandle("1h")?.time == 3_600_000)
    }
}
