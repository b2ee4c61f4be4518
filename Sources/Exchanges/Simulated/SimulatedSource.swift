/// What the simulated exchange plays for one symbol.
public enum SimulatedSource: Sendable, Equatable {
    /// Recorded candles of `interval` milliseconds, each turned into four trades (open, the
    /// extreme nearer the open, the other extreme, close) each followed by a ticker, at the
    /// candle's open time plus 0, ¼, ½ and ¾ of the interval. Sizes are ⅛, ⅛, ¼ and ½ of the
    /// volume, so that candles rebuilt from the trades equal the recorded ones exactly.
    case candles([RecordedCandle], intervalMilliseconds: Int64)
    /// Recorded trades, each followed by a ticker with its price as the last price.
    case trades([RecordedTrade])
    /// A seeded random walk with a book (snapshot, then deltas), trades and tickers.
    case randomWalk(RandomWalkParameters)

    /// The interval of recorded candles: the smallest gap between consecutive open times
    /// (60 s when there are fewer than two candles).
    public static func interval(of candles: [RecordedCandle]) -> Int64 {
        var smallest = Int64.max
        for (a, b) in zip(candles, candles.dropFirst()) where b.time > a.time {
            smallest = min(smallest, b.time - a.time)
        }
        return smallest == .max ? 60_000 : smallest
    }
}
