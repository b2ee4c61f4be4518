import Indicators

/// Times every built-in indicator over one candle series.
struct IndicatorBenchmark {
    /// One indicator's figures, in nanoseconds per candle.
    struct Result {
        let name: String
        /// Typed streaming update on the concrete type.
        let streaming: Double
        /// Streaming update through the run-time `CandleIndicator` existential.
        let catalog: Double
        /// The batch function, per element.
        let batch: Double
    }

    let series: [Candle]
    let rounds: Int

    func run() throws -> [Result] {
        let closes = series.map(\.close)
        let highs = series.map(\.high)
        let lows = series.map(\.low)
        let volumes = series.map(\.volume)
        _ = (highs, lows, volumes)
        return try cases(closes: closes, highs: highs, lows: lows, volumes: volumes).map { c in
            Result(name: c.name,
                   streaming: try streaming(c.make()),
                   catalog: try catalog(c.name),
                   batch: try Stopwatch.best(rounds: rounds) { try c.batch() } / Double(series.count))
        }
    }

    /// One benchmarked indicator: how to build it at its standard parameters, and its batch call.
    private struct Case {
        let name: String
        let make: () throws -> any CandleIndicator
        let batch: () throws -> Void
    }

    private func cases(closes: [Double], highs: [Double], lows: [Double], volumes: [Double]) -> [Case] {
        [
            Case(name: "sma", make: { try SMA(period: 20) }, batch: { blackHole(try SMA.batch(closes, period: 20)) }),
        ]
    }

    /// Opens the existential so `measure` runs specialized for the concrete type.
    private func streaming(_ indicator: any CandleIndicator) throws -> Double {
        try measure(indicator)
    }

    private func measure<I: CandleIndicator>(_ prototype: I) throws -> Double {
        try Stopwatch.best(rounds: rounds) {
            var indicator = prototype
            var sum = 0.0
            for candle in series where try indicator.update(candle) {
                sum += indicator.value(0)
            }
            blackHole(sum)
        } / Double(series.count)
    }

    private func catalog(_ name: String) throws -> Double {
        let spec = try IndicatorSpec(parsing: name)
        return try Stopwatch.best(rounds: rounds) {
            var indicator = try spec.makeIndicator()
            var sum = 0.0
            for candle in series where try indicator.update(candle) {
                sum += indicator.value(0)
            }
            blackHole(sum)
        } / Double(series.count)
    }
}
