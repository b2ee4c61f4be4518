import Foundation
import Indicators
import Testing

@Suite struct CandleBuilderTests {
    /// Candles built from the bundled real trades equal Binance's 1m candles for the same period,
    /// value for value (every one of the 2,469 minutes; minutes without a trade have no candle
    /// in either).
    @Test func tradesOfXRPETHRebuildTheRecordedOneMinuteCandles() throws {
        let trades = try Self.trades("samples/trades/XRP_ETH-trades.csv")
        let expected = try CandleCSV.read(TestData.packageRoot.appendingPathComponent("samples/candles/XRP_ETH-1m.csv"))
        var builder = CandleBuilder(interval: .oneMinute)
        var built: [Candle] = []
        for trade in trades {
            if let closed = builder.add(time: trade.time, price: trade.price, size: trade.size) { built.append(closed) }
        }
        if let last = builder.flush() { built.append(last) }
        #expect(trades.count == 12_477)
        #expect(built.count == 2469)
        #expect(built == expected)
        #expect(builder.lateTrades == 0)
    }

    @Test func fiveMinuteCandlesFromOneMinuteCandlesMatchFiveMinuteCandlesFromTrades() throws {
        let trades = try Self.trades("samples/trades/XRP_ETH-trades.csv")
        var fromTrades = CandleBuilder(interval: .fiveMinutes)
        var oneMinute = CandleBuilder(interval: .oneMinute)
        var fromCandles = CandleBuilder(interval: .fiveMinutes)
        var a: [Candle] = [], b: [Candle] = []
        for t in trades {
            if let c = fromTrades.add(time: t.time, price: t.price, size: t.size) { a.append(c) }
            if let m = oneMinute.add(time: t.time, price: t.price, size: t.size), let c = fromCandles.add(m) { b.append(c) }
        }
        if let c = fromTrades.flush() { a.append(c) }
        if let m = oneMinute.flush(), let c = fromCandles.add(m) { b.append(c) }
        if let c = fromCandles.flush() { b.append(c) }
        #expect(a.count > 500)
        #expect(a.map(\.time).allSatisfy { $0 % 300_000 == 0 })
        #expect(a.count == b.count)
        for (x, y) in zip(a, b) {
            #expect(x.time == y.time && x.open == y.open && x.high == y.high && x.low == y.low && x.close == y.close)
            #expect(abs(x.volume - y.volume) <= 1e-9 * x.volume)
        }
    }

    @Test func aCandleClosesOnALaterTradeATimerOrAFlush() {
        var builder = CandleBuilder(interval: .oneMinute)
        #expect(builder.add(time: 60_500, price: 10, size: 1) == nil)
        #expect(builder.add(time: 61_000, price: 12, size: 2) == nil)
        #expect(builder.add(time: 119_999, price: 9, size: 3) == nil)
        #expect(builder.close(before: 119_999) == nil)
        let closed = builder.add(time: 185_000, price: 11, size: 4)
        #expect(closed == Candle(time: 60_000, open: 10, high: 12, low: 9, close: 9, volume: 6))
        #expect(builder.current == Candle(time: 180_000, open: 11, high: 11, low: 11, close: 11, volume: 4))
        #expect(builder.close(before: 240_000) == Candle(time: 180_000, open: 11, high: 11, low: 11, close: 11, volume: 4))
        #expect(builder.current == nil)
        // A trade of an interval that already closed is counted, not folded in.
        #expect(builder.add(time: 200_000, price: 1, size: 1) == nil)
        #expect(builder.lateTrades == 1)
        #expect(builder.current == nil)
        #expect(builder.add(time: 250_000, price: 5, size: 1) == nil)
        #expect(builder.flush()?.time == 240_000)
        #expect(builder.flush() == nil)
    }

    @Test func intervalsParseAlignAndName() {
        #expect(CandleInterval("1m") == .oneMinute)
        #expect(CandleInterval("15m")?.milliseconds == 900_000)
        #expect(CandleInterval("4h")?.milliseconds == 14_400_000)
        #expect(CandleInterval("1d")?.description == "1d")
        #expect(CandleInterval("60m")?.description == "1h")
        #expect(CandleInterval("90s")?.description == "90s")
        for bad in ["", "m", "0m", "-1m", "1x", "1.5m", "99999999999999999w"] { #expect(CandleInterval(bad) == nil, "\(bad)") }
        #expect(CandleInterval.oneHour.openTime(containing: 3_600_000 * 5 + 1) == 3_600_000 * 5)
        #expect(CandleInterval.oneMinute.openTime(containing: -1) == -60_000)
        #expect(CandleInterval.defaults.map(\.description) == ["1m", "5m", "15m", "1h"])
    }

    struct TradeRow { let time: Int64; let price: Double; let size: Double }

    /// Reads `time,id,side,price,amount` rows.
    static func trades(_ relativePath: String) throws -> [TradeRow] {
        let url = TestData.packageRoot.appendingPathComponent(relativePath)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw TestDataError(message: "cannot read \(url.path)")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").dropFirst().map { line in
            let cells = line.split(separator: ",")
            return TradeRow(time: Int64(cells[0])!, price: Double(cells[3])!, size: Double(cells[4])!)
        }
    }
}
