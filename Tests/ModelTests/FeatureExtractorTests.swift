import Foundation
import Indicators
import Testing
@testable import Model

@Suite struct FeatureExtractorTests {
    @Test func candleByCandleEqualsBatchOverTheFile() throws {
        let candles = try TestData.candles("ETH_BTC-5m.csv")
        let batch = try FeatureExtractor.batch(candles)
        var extractor = FeatureExtractor()
        for (r, candle) in candles.enumerated() {
            let ready = try extractor.update(candle)
            #expect(ready == batch.ready[r])
            if !sameValues(extractor.values, batch.row(r)) {
                Issue.record("row \(r): streaming \(extractor.values) != batch \(batch.row(r))")
                return
            }
        }
    }

    /// Each feature against its definition computed from the Indicators target's batch
    /// functions over whole columns: a wrong wiring or warm-up shows here.
    @Test func featuresMatchTheirDefinitionsFromBatchIndicators() throws {
        let candles = try TestData.candles("LTC_BTC-5m.csv")
        let close = candles.map(\.close)
        let volume = candles.map(\.volume)
        let rsi = try RSI.batch(close, period: 14)
        let macd = try MACD.batch(close)
        let bands = try BBANDS.batch(close, period: 20, nbdev: 2)
        let atr = try ATR.batch(high: candles.map(\.high), low: candles.map(\.low), close: close, period: 14)
        let ema50 = try EMA.batch(close, period: 50)
        let volumeMean = try SMA.batch(volume, period: 20)
        let volumeDeviation = try STDDEV.batch(volume, period: 20, nbdev: 1)
        let m = try FeatureExtractor.batch(candles)
        let column = { (name: String) in FeatureExtractor.names.firstIndex(of: name)! }
        for r in 0..<candles.count {
            #expect(m.ready[r] == (r >= FeatureExtractor.warmUp - 1))
            guard m.ready[r] else { continue }
            #expect(m[r, column("ret_1")] == log(close[r] / close[r - 1]))
            #expect(m[r, column("ret_24")] == log(close[r] / close[r - 24]))
            #expect(m[r, column("rsi_14")] == rsi[r] / 100 - 0.5)
            #expect(m[r, column("macd_hist")] == macd.hist[r] / close[r])
            let width = bands.upper[r] - bands.lower[r]
            #expect(m[r, column("bb_pct_b")] == (width > 0 ? (close[r] - bands.lower[r]) / width : 0.5))
            #expect(m[r, column("atr_14")] == atr[r] / close[r])
            #expect(m[r, column("ema_50_dist")] == close[r] / ema50[r] - 1)
            let z = volumeDeviation[r] > 0 ? (volume[r] - volumeMean[r]) / volumeDeviation[r] : 0
            #expect(m[r, column("volume_z_20")] == z)
            #expect(m[r, column("book_imbalance")].isNaN)
            #expect(m.row(r).filter(\.isNaN).count == 1, "only the book imbalance is missing at row \(r)")
        }
    }

    @Test func badCandleIsRefusedAndChangesNothing() throws {
        let candles = Array(try TestData.candles("XRP_ETH-1m.csv").prefix(80))
        var clean = FeatureExtractor()
        var dirty = FeatureExtractor()
        for (i, candle) in candles.enumerated() {
            try clean.update(candle)
            if i == 60 {
                var bad = candle
                bad.close = .nan
                do {
                    try dirty.update(bad)
                    Issue.record("a NaN close was accepted")
                } catch {
                    #expect(error.description.contains("close"))
                }
            }
            try dirty.update(candle)
        }
        #expect(sameValues(clean.values, dirty.values))
    }

    @Test func bookImbalanceIsClampedAndMissingWhenAbsent() throws {
        let candles = Array(try TestData.candles("XRP_ETH-1m.csv").prefix(60))
        var extractor = FeatureExtractor()
        let book = FeatureExtractor.names.firstIndex(of: "book_imbalance")!
        for candle in candles { try extractor.update(candle, bookImbalance: 0.25) }
        #expect(extractor.values[book] == 0.25)
        try extractor.update(candles[0], bookImbalance: 3)
        #expect(extractor.values[book] == 1)
        try extractor.update(candles[0])
        #expect(extractor.values[book].isNaN)
    }
}
