import Indicators

/// A long, realistic candle series for benchmarks: a real series repeated end to end, each
/// repetition scaled so that its first open continues from the previous repetition's last close.
/// `scripts/talib_bench.py` builds the same series, so both sides time the same input.
enum SyntheticCandles {
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
}
