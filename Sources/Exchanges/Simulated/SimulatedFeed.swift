/// One symbol's stream on the simulated exchange: turns its ``SimulatedSource`` into market
/// events in time order, a few at a time (one candle's, one trade's or one walk step's).
///
/// Times are the simulated clock: event time and receive time are equal, both the recorded
/// time (plus ``offset``) for replays, the walk's own time for a random walk.
struct SimulatedFeed: Sendable {
    let symbol: CanonicalSymbol
    private let source: SimulatedSource
    /// Added to every recorded time: whole days, so candle boundaries stay aligned when a
    /// replay is shifted to the current simulated time or looped.
    private(set) var offset: Int64 = 0
    private var index = 0
    private var walk: RandomWalkMarket?
    private var batch: [MarketEvent] = []
    private var batchIndex = 0

    static let day: Int64 = 86_400_000

    init(symbol: CanonicalSymbol, source: SimulatedSource, startTime: Int64) {
        self.symbol = symbol
        self.source = source
        if case .randomWalk(let parameters) = source {
            walk = RandomWalkMarket(symbol: symbol, parameters: parameters, startTime: parameters.startTime ?? startTime)
        }
        refill()
    }

    /// The time of the next event, nil when a replay has played everything.
    var nextTime: Int64? {
        batchIndex < batch.count ? batch[batchIndex].receiveTime : nil
    }

    /// The next event, nil at the end of a replay.
    mutating func next() -> MarketEvent? {
        guard batchIndex < batch.count else { return nil }
        let event = batch[batchIndex]
        batchIndex += 1
        if batchIndex == batch.count { refill() }
        return event
    }

    /// Shifts a replay later by whole days until its next event is at or after `time`.
    mutating func shift(toAtLeast time: Int64) {
        guard walk == nil, let next = nextTime, next < time else { return }
        let days = (time - next + Self.day - 1) / Self.day
        move(by: days * Self.day)
    }

    /// Starts a finished replay again, shifted by whole days past its previous end.
    mutating func rewind(after time: Int64) -> Bool {
        guard walk == nil, nextTime == nil, let first = firstRecordedTime else { return false }
        index = 0
        let days = max(1, (time - (first + offset)) / Self.day + 1)
        offset += days * Self.day
        refill()
        return nextTime != nil
    }

    private var firstRecordedTime: Int64? {
        switch source {
        case .candles(let candles, _): candles.first?.time
        case .trades(let trades): trades.first?.time
        case .randomWalk: nil
        }
    }

    private mutating func move(by shift: Int64) {
        offset += shift
        for k in batchIndex..<batch.count {
            batch[k].eventTime = batch[k].eventTime.map { $0 + shift }
            batch[k].receiveTime += shift
        }
    }

    private mutating func refill() {
        batch.removeAll(keepingCapacity: true)
        batchIndex = 0
        switch source {
        case .candles(let candles, let interval):
            guard index < candles.count else { return }
            appendCandle(candles[index], interval: interval)
        case .trades(let trades):
            guard index < trades.count else { return }
            let trade = trades[index]
            let time = trade.time + offset
            append(time, .trade(Trade(price: trade.price, size: trade.size, takerSide: trade.takerSide, id: trade.id)))
            append(time, .ticker(Ticker(last: trade.price)))
        case .randomWalk:
            walk?.step(into: &batch)
        }
        index += 1
    }

    /// Four trades, each with a ticker: open, the extreme nearer the open, the other extreme,
    /// close, sized ⅛, ⅛, ¼, ½ of the volume (halving and doubling are exact in binary, so the
    /// running volume sum reproduces the recorded volume exactly).
    private mutating func appendCandle(_ candle: RecordedCandle, interval: Int64) {
        let upFirst = candle.high - candle.open <= candle.open - candle.low
        let prices = upFirst ? [candle.open, candle.high, candle.low, candle.close] : [candle.open, candle.low, candle.high, candle.close]
        let sizes = [candle.volume / 8, candle.volume / 8, candle.volume / 4, candle.volume / 2]
        let quarter = interval / 4
        for k in 0..<4 {
            let time = candle.time + offset + Int64(k) * quarter
            guard let price = ExactDecimal(exactly: prices[k]), let size = ExactDecimal(exactly: sizes[k]) else { continue }
            let side: TradeSide = k > 0 && prices[k] < prices[k - 1] ? .sell : .buy
            append(time, .trade(Trade(price: price, size: size, takerSide: side, id: "\(candle.time)-\(k)")))
            append(time, .ticker(Ticker(last: price)))
        }
    }

    private mutating func append(_ time: Int64, _ payload: MarketEvent.Payload) {
        batch.append(MarketEvent(exchange: .sim, symbol: symbol, eventTime: time, receiveTime: time, payload: payload))
    }
}

extension ExactDecimal {
    /// The decimal that prints as `value`'s shortest round-trip text (`0.00141342`, `1e-05`),
    /// nil for NaN, infinities and values beyond 18 significant digits.
    init?(exactly value: Double) {
        guard value.isFinite else { return nil }
        self.init(value.description)
    }
}
