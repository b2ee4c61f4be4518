import Foundation
import Indicators

/// Long candle series for benchmarks. `scripts/talib_bench.py` builds the same two, bit for
/// bit, so both sides time the same input.
enum SyntheticCandles {
    /// The kinds of series `chloe bench indicators --series` offers.
    enum Kind: String, CaseIterable {
        /// A real series repeated end to end (`make(from:count:)`).
        case `repeat`
        /// A random walk that never repeats (`walk(count:)`).
        case walk
    }

    /// A real series repeated end to end, each repetition scaled so that its first open
    /// continues from the previous repetition's last close.
    static func make(from base: [Candle], count: Int) -> [Candle] {
        precondition(!base.isEmpty, "empty base series")
        var out: [Candle] = []
        out.reserveCapacity(count)
        var scale = 1.0
        let step = (base.last!.time - base.first!.time) + 60_000
        var offset: Int64 = 0
        while out.count < count {
            for c in base where out.count < count {
                out.append(Candle(time: c.time + offset, open: c.open * scale, high: c.high * scale,
                                  low: c.low * scale, close: c.close * scale, volume: c.volume))
            }
            scale = out.last!.close / base.first!.open
            offset += step
        }
        return out
    }

    /// A random walk of one-minute candles that never repeats, so no branch predictor can
    /// learn it (a repeated series of a few thousand candles, it can). From a 64-bit linear
    /// congruential generator (Knuth's MMIX constants) whose draws are `state >> 11`:
    ///
    ///     open   = the previous close (1000.0 at first)
    ///     close  = open + step × 0.01, step -1, 0 or +1 for draw % 20 in 0...8, 9...10, 11...19
    ///     high   = max(open, close) + (w % 4) × 0.01, low = min(open, close) - ((w >> 2) % 4) × 0.01,
    ///              w the next draw
    ///     volume = (the next draw) % 1000
    ///     time   = 1_700_000_000_000 + index × 60_000
    static func walk(count: Int) -> [Candle] {
        var state: UInt64 = 0x853C_49E6_748F_EA9B
        func draw() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        var out: [Candle] = []
        out.reserveCapacity(count)
        var close = 1000.0
        for i in 0..<count {
            let open = close
            let move = draw() % 20
            let step: Double = move < 9 ? -1 : (move < 11 ? 0 : 1)
            close = open + step * 0.01
            let wick = draw()
            let high = max(open, close) + Double(wick % 4) * 0.01
            let low = min(open, close) - Double((wick >> 2) % 4) * 0.01
            let volume = Double(draw() % 1000)
            out.append(Candle(time: 1_700_000_000_000 + Int64(i) * 60_000, open: open, high: high, low: low, close: close, volume: volume))
        }
        return out
    }

    /// What `scripts/talib_bench.py` prints of its series, to check both sides time the same
    /// input: the count, the last close and the closes added one by one, both with 17
    /// significant digits.
    static func fingerprint(_ series: [Candle]) -> String {
        let sum = series.reduce(0.0) { $0 + $1.close }
        return "\(series.count) candles, last close \(digits17(series.last?.close ?? .nan)), sum of closes \(digits17(sum))"
    }

    private static func digits17(_ x: Double) -> String { String(format: "%.17g", x) }
}
