import Exchanges

/// Times the exchange decoders on recorded ticker and trade frames (one core, one decoder
/// reused the way a connection reuses it), and book-delta application on a deep book.
struct DecodeBenchmark {
    /// One exchange's figures.
    struct Result {
        let exchange: Exchange
        let kind: String
        /// Frames decoded per second.
        let framesPerSecond: Double
        /// Nanoseconds per frame.
        let nanosecondsPerFrame: Double
    }

    let frames: Int
    let rounds: Int

    /// Recorded frames (from Tests/ExchangesTests/Fixtures, compacted to one line).
    static let samples: [(Exchange, String, String)] = [
        (.binance, "ticker", #"{"stream":"nknusdt@bookTicker","data":{"u":499869768,"s":"NKNUSDT","b":"0.35210000","B":"672.00000000","a":"0.35260000","A":"3199.00000000"}}"#),
        (.binance, "trade", #"{"stream":"bnbbtc@trade","data":{"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.001","q":"100","T":1672515782136,"m":true,"M":true}}"#),
        (.coinbase, "ticker", #"{"channel":"ticker","timestamp":"2026-08-09T21:05:48.298032046Z","sequence_num":10,"events":[{"type":"update","tickers":[{"type":"ticker","product_id":"ETH-USD","price":"1919.41","volume_24_h":"19975.95927439","low_24_h":"1911.04","high_24_h":"1925","low_52_w":"1505","high_52_w":"4955.9","price_percent_chg_24_h":"0.02501394006035","best_bid":"1919.44","best_ask":"1919.49","best_bid_quantity":"0.02858092","best_ask_quantity":"0.07814824"}]}]}"#),
        (.coinbase, "trade", #"{"channel":"market_trades","timestamp":"2026-08-09T21:05:48.251397169Z","sequence_num":9,"events":[{"type":"update","trades":[{"product_id":"BTC-USD","trade_id":"1068572091","price":"65083.67","size":"0.01034361","time":"2026-08-09T21:05:48.167634Z","side":"SELL"}]}]}"#),
        (.kraken, "ticker", #"{"channel":"ticker","type":"update","data":[{"symbol":"ALGO/USD","bid":0.10025,"bid_qty":740.00000000,"ask":0.10036,"ask_qty":1361.44813783,"last":0.10035,"volume":997038.98383185,"vwap":0.10148,"low":0.09979,"high":0.10285,"change":-0.00017,"change_pct":-0.17,"timestamp":"2023-09-25T09:04:31.742648Z"}]}"#),
        (.kraken, "trade", #"{"channel":"trade","type":"update","data":[{"symbol":"MATIC/USD","side":"buy","price":0.5147,"qty":6423.46326,"ord_type":"limit","trade_id":4665846,"timestamp":"2023-09-25T07:48:36.925533Z"}]}"#),
        (.kucoin, "ticker", #"{"type":"message","topic":"/market/ticker:FET-BTC","subject":"trade.ticker","data":{"bestAsk":"0.000018679","bestAskSize":"258.4609","bestBid":"0.000018622","bestBidSize":"68.5961","price":"0.000018628","sequence":"38509148","size":"8.943","time":1677321643926}}"#),
        (.kucoin, "trade", #"{"data":{"symbol":"DAPPT-BTC","sequence":"1612701563869","side":"buy","size":"81.8814","price":"0.0000001117","takerOrderId":"6085c097587c2000060cde57","time":"1619378327739050725","type":"match","makerOrderId":"6085c06144b3790006512a4d","tradeId":"6085c09769bc506996295e36"},"subject":"trade.l3match","topic":"/market/match:DAPPT-BTC","type":"message"}"#),
    ]

    func decoding() throws -> [Result] {
        try Self.samples.map { exchange, kind, text in
            let frame = Array(text.utf8)
            let ns: Double = switch exchange {
            case .binance: try measure(Binance.MessageDecoder(), frame)
            case .coinbase: try measure(Coinbase.MessageDecoder(), frame)
            case .kraken: try measure(Kraken.MessageDecoder(), frame)
            case .kucoin: try measure(KuCoin.MessageDecoder(), frame)
            case .sim: 0
            }
            return Result(exchange: exchange, kind: kind, framesPerSecond: 1e9 / ns, nanosecondsPerFrame: ns)
        }
    }

    /// Best ns per frame for one decoder, specialized for its type; events go into one
    /// reused array, as in a connection.
    private func measure<D: MarketDecoder>(_ decoder: D, _ frame: [UInt8]) throws(ExchangeDecodeError) -> Double {
        var decoder = decoder
        var events: [MarketEvent] = []
        events.reserveCapacity(4)
        var failure: ExchangeDecodeError?
        let ns = frame.withUnsafeBytes { bytes in
            Stopwatch.best(rounds: rounds) {
                var count = 0
                for k in 0..<frames {
                    events.removeAll(keepingCapacity: true)
                    do throws(ExchangeDecodeError) {
                        try decoder.decode(bytes, receivedAt: Int64(k), into: &events)
                    } catch {
                        failure = error
                    }
                    count &+= events.count
                }
                blackHole(count)
            }
        }
        if let failure { throw failure }
        return ns / Double(frames)
    }

    /// Nanoseconds per level applied: deltas of one level each, near the top of a book of
    /// `depth` levels a side (where real changes land), prices on a 0.01 tick.
    func bookDeltaApply(depth: Int = 5000, levels: Int = 1_000_000) -> Double {
        var book = OrderBook()
        let tick: Int64 = 1
        book.replace(with: BookUpdate(
            bids: (0..<depth).map { BookLevel(price: ExactDecimal(mantissa: 1_000_000 - Int64($0) * tick, exponent: -2), size: ExactDecimal(mantissa: 5)) },
            asks: (0..<depth).map { BookLevel(price: ExactDecimal(mantissa: 1_000_001 + Int64($0) * tick, exponent: -2), size: ExactDecimal(mantissa: 5)) }))
        // A fixed pseudo-random walk over the top 50 levels: updates, removals and re-inserts.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let deltas: [BookUpdate] = (0..<4096).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let offset = Int64(state >> 58) % 50
            let size = ExactDecimal(mantissa: Int64(state >> 60))  // 0...15; 0 removes
            let level = (state >> 20) & 1 == 0
                ? BookLevel(price: ExactDecimal(mantissa: 1_000_000 - offset, exponent: -2), size: size)
                : BookLevel(price: ExactDecimal(mantissa: 1_000_001 + offset, exponent: -2), size: size)
            return (state >> 20) & 1 == 0 ? BookUpdate(bids: [level]) : BookUpdate(asks: [level])
        }
        let ns = Stopwatch.best(rounds: rounds) {
            for k in 0..<levels { book.apply(deltas[k & 4095]) }
        }
        blackHole(book)
        return ns / Double(levels)
    }
}
