/// A seeded random-walk market for one symbol: a mid price that moves in whole ticks, a book
/// of `depth` levels a side one tick either side of the mid, trades at the touch and tickers.
///
/// The first step sends a book snapshot; every later step a delta (levels that left the book
/// at size zero, then new or resized ones), maybe a trade, and a ticker. Book events carry
/// increasing sequence numbers (`firstSequence` = `sequence` = the step number).
struct RandomWalkMarket: Sendable {
    let symbol: CanonicalSymbol
    let parameters: RandomWalkParameters
    private var random: SplitMix64
    private var time: Int64
    private var sequence: UInt64 = 0
    private var mid: Int64  // in ticks
    private var bids: [(ticks: Int64, size: ExactDecimal)] = []  // best first
    private var asks: [(ticks: Int64, size: ExactDecimal)] = []
    private var last: Int64?
    private var tradeCount: UInt64 = 0

    init(symbol: CanonicalSymbol, parameters: RandomWalkParameters, startTime: Int64) {
        self.symbol = symbol
        self.parameters = parameters
        random = SplitMix64(seed: parameters.seed ^ SplitMix64.hash(symbol.description))
        time = startTime
        let tick = Self.tickValue(parameters.tickExponent)
        mid = max(Int64(parameters.depth) + 2, Int64((parameters.startPrice / tick).rounded()))
    }

    /// Appends the next step's events to `events`.
    mutating func step(into events: inout [MarketEvent]) {
        sequence += 1
        if sequence == 1 {
            rebuildBook()
            let snapshot = BookUpdate(bids: bids.map { level($0) }, asks: asks.map { level($0) }, firstSequence: sequence)
            events.append(event(.bookSnapshot(snapshot), sequence: sequence))
        } else {
            time += parameters.stepMilliseconds
            moveMid()
            let oldBids = bids, oldAsks = asks
            rebuildBook()
            let delta = BookUpdate(bids: changes(from: oldBids, to: bids), asks: changes(from: oldAsks, to: asks), firstSequence: sequence)
            events.append(event(.bookDelta(delta), sequence: sequence))
        }
        if random.unit() < parameters.tradeProbability {
            let buy = random.next() & 1 == 0
            let touch = buy ? asks[0].ticks : bids[0].ticks
            tradeCount += 1
            last = touch
            let size = ExactDecimal(mantissa: Int64(1 + random.next() % 500), exponent: -2)
            events.append(event(.trade(Trade(price: price(touch), size: size, takerSide: buy ? .buy : .sell, id: String(tradeCount)))))
        }
        let ticker = Ticker(last: last.map { price($0) }, bid: price(bids[0].ticks), bidSize: bids[0].size,
                            ask: price(asks[0].ticks), askSize: asks[0].size)
        events.append(event(.ticker(ticker)))
    }

    private mutating func moveMid() {
        // The sum of four uniforms, centred and scaled to unit variance: close enough to normal.
        let z = (random.unit() + random.unit() + random.unit() + random.unit() - 2) * 1.7320508075688772
        let ticks = Int64((z * parameters.volatility * Double(mid)).rounded())
        mid = max(Int64(parameters.depth) + 2, mid + ticks)
    }

    /// Puts levels one tick either side of the mid, keeping the sizes of prices still in the
    /// book (a third of them resized) and sizing new ones at random.
    private mutating func rebuildBook() {
        bids = (0..<parameters.depth).map { i in
            let ticks = mid - 1 - Int64(i)
            return (ticks, size(keeping: bids.first { $0.ticks == ticks }?.size))
        }
        asks = (0..<parameters.depth).map { i in
            let ticks = mid + 1 + Int64(i)
            return (ticks, size(keeping: asks.first { $0.ticks == ticks }?.size))
        }
    }

    private mutating func size(keeping old: ExactDecimal?) -> ExactDecimal {
        if let old, random.unit() >= 1.0 / 3 { return old }
        return ExactDecimal(mantissa: Int64(1 + random.next() % 10_000), exponent: -2)
    }

    private func changes(from old: [(ticks: Int64, size: ExactDecimal)], to new: [(ticks: Int64, size: ExactDecimal)]) -> [BookLevel] {
        var levels: [BookLevel] = []
        for level in old where !new.contains(where: { $0.ticks == level.ticks }) {
            levels.append(BookLevel(price: price(level.ticks), size: .zero))
        }
        for level in new where !old.contains(where: { $0.ticks == level.ticks && $0.size == level.size }) {
            levels.append(self.level(level))
        }
        return levels
    }

    private func level(_ level: (ticks: Int64, size: ExactDecimal)) -> BookLevel {
        BookLevel(price: price(level.ticks), size: level.size)
    }

    private func price(_ ticks: Int64) -> ExactDecimal {
        ExactDecimal(mantissa: ticks, exponent: parameters.tickExponent)
    }

    private func event(_ payload: MarketEvent.Payload, sequence: UInt64? = nil) -> MarketEvent {
        MarketEvent(exchange: .sim, symbol: symbol, eventTime: time, receiveTime: time, sequence: sequence, payload: payload)
    }

    private static func tickValue(_ exponent: Int16) -> Double {
        var value = 1.0
        for _ in 0..<abs(Int(exponent)) { value = exponent < 0 ? value / 10 : value * 10 }
        return value
    }
}
