import Testing
@testable import Exchanges

/// Bad frames never crash a decoder: they throw an error naming the exchange and the reason.
@Suite struct MalformedFrameTests {
    private func decoder(_ exchange: Exchange) -> any MarketDecoder {
        switch exchange {
        case .binance: Binance.MessageDecoder()
        case .coinbase: Coinbase.MessageDecoder()
        case .kraken: Kraken.MessageDecoder()
        case .kucoin: KuCoin.MessageDecoder()
        case .sim: preconditionFailure("the simulated exchange has no wire format")
        }
    }

    private func failure(_ exchange: Exchange, _ text: String) -> ExchangeDecodeError? {
        var decoder = decoder(exchange)
        do {
            _ = try decoder.decode(Array(text.utf8), receivedAt: 0)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: Exchange.venues)
    func refusesGarbageAndTruncatedJSON(_ exchange: Exchange) throws {
        for garbage in ["", "garbage", "\u{00}\u{01}", "{\"stream\":", "[1,2", "{\"channel\":\"ticker\",}", "<html>502 Bad Gateway</html>"] {
            let error = try #require(failure(exchange, garbage), "\(garbage)")
            #expect(error.isMalformedJSON)
            #expect(error.exchange == exchange)
            #expect(error.description.hasPrefix(exchange.displayName + ": malformed JSON at byte"))
        }
    }

    @Test(arguments: [
        (Exchange.binance, #"{"e":"trade","E":1,"s":"BNBBTC","t":1,"p":"abc","q":"1","m":true}"#, "trade: field 'p' 'abc' is not a decimal number"),
        (.binance, #"{"e":"trade","E":1,"s":"BNBBTC","t":1,"p":0.5,"q":"1","m":"yes"}"#, "trade: field 'm' expected a boolean, found a string"),
        (.binance, #"{"e":"depthUpdate","E":1,"s":"BNBBTC","U":"x","u":2,"b":[],"a":[]}"#, "depthUpdate: field 'U' 'x' is not a non-negative integer"),
        (.binance, #"{"e":"depthUpdate","E":1,"s":"BNBBTC","U":1,"u":2,"b":[["1"]],"a":[]}"#, "field 'b' each level must be an array [price, size]"),
        (.binance, #"{"e":"24hrTicker","E":1,"s":"NOPE","c":"1"}"#, "field 's' 'NOPE' is not a symbol"),
        (.binance, #"{"stream":"x@trade","data":{"e":"trade","s":"BNBBTC"}}"#, "trade: field 't' is missing"),
        (.coinbase, #"{"channel":"l2_data","sequence_num":1,"events":[{"type":"update","product_id":"ETH-USD","updates":[{"side":"middle","price_level":"1","new_quantity":"1"}]}]}"#, "l2_data: field 'updates[].side'"),
        (.coinbase, #"{"channel":"ticker","sequence_num":"x","events":[]}"#, "ticker: field 'sequence_num'"),
        (.coinbase, #"{"channel":"ticker","timestamp":"yesterday","events":[]}"#, "not an RFC 3339 timestamp"),
        (.coinbase, #"{"channel":"market_trades","events":[{"trades":[{"product_id":"BTC-USD","trade_id":"1","price":"1","size":"1","side":"UP"}]}]}"#, "neither buy nor sell"),
        (.kraken, #"{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":"x","qty":1}],"checksum":1}]}"#, "book: field 'price'"),
        (.kraken, #"{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[],"checksum":4294967296}]}"#, "checksum"),
        (.kraken, #"{"channel":"book","type":"weird","data":[]}"#, "neither snapshot nor update"),
        (.kraken, #"{"channel":"trade","type":"update","data":[{"symbol":"BTCUSD","side":"buy","price":1,"qty":1,"trade_id":1}]}"#, "'BTCUSD' is not a symbol"),
        (.kucoin, #"{"type":"message","topic":"/market/level2:BTC-USDT","data":{"changes":{"asks":[["1","1"]],"bids":[]},"sequenceStart":1,"sequenceEnd":1}}"#, "[price, size, sequence]"),
        (.kucoin, #"{"type":"message","topic":"/market/match:BTC-USDT","data":{"symbol":"BTC-USDT","side":"buy","price":"1","size":"1","time":"1"}}"#, "field 'tradeId' is missing"),
        (.kucoin, #"{"type":"message","topic":"/market/ticker:BTC-USDT","data":[]}"#, "field 'data' expected an object"),
    ])
    func namesTheFieldAndReason(_ exchange: Exchange, _ frame: String, _ reason: String) throws {
        let error = try #require(failure(exchange, frame))
        #expect(!error.isMalformedJSON)
        #expect(error.description.hasPrefix(exchange.displayName + ": "))
        #expect(error.reason.contains(reason), "\(error)")
    }

    /// Every truncation and many random corruptions of every small fixture either decode or
    /// throw; nothing traps.
    @Test(arguments: Exchange.venues)
    func survivesCorruptedFixtures(_ exchange: Exchange) throws {
        var generator = SplitMix64(seed: 7)
        var decoder = decoder(exchange)
        for name in try Fixture.names(exchange) {
            let bytes = try Fixture.bytes(exchange, name)
            guard bytes.count < 5000 else { continue }
            for length in stride(from: 0, to: bytes.count, by: 3) {
                _ = try? decoder.decode(Array(bytes.prefix(length)), receivedAt: 0)
            }
            for _ in 0..<200 {
                var corrupted = bytes
                for _ in 0..<(1 + Int(generator.next() % 3)) {
                    corrupted[Int(generator.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: generator.next())
                }
                _ = try? decoder.decode(corrupted, receivedAt: 0)
            }
            #expect(throws: Never.self) { try decoder.decode(bytes, receivedAt: 0) }  // still healthy afterwards
        }
    }

    @Test func aFailedFrameLeavesNoEvents() throws {
        var decoder = Coinbase.MessageDecoder()
        // The first trade decodes, the second has no price: nothing of the frame may remain.
        let frame = #"{"channel":"market_trades","events":[{"trades":[{"product_id":"BTC-USD","trade_id":"1","price":"1","size":"1","side":"BUY"},{"product_id":"BTC-USD","trade_id":"2","size":"1","side":"BUY"}]}]}"#
        var events: [MarketEvent] = []
        let bytes = Array(frame.utf8)
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(ExchangeDecodeError) in try decoder.decode(raw, receivedAt: 0, into: &events) }
        }
        #expect(throws: ExchangeDecodeError.self) { try result.get() }
        #expect(events.isEmpty)
    }
}
