import Testing
@testable import Exchanges

/// The `chloe decode` contract: one normalized JSON line per event.
@Suite struct NormalizedJSONTests {
    private func lines(_ exchange: Exchange, _ prefix: String) throws -> [String] {
        var decoder = FrameDecoder(exchange: exchange)!
        return try decoder.normalizedLines(for: Fixture.named(exchange, prefix))
    }

    @Test func printsTickersWithExactNumbers() throws {
        #expect(try lines(.binance, "05-") == [
            #"{"type":"ticker","exchange":"binance","symbol":"ETH/USDT","time":1653812650349,"last":1792.84,"bid":1792.83,"ask":1792.84,"bid_size":1.6274,"ask_size":20.2914}"#,
        ])
        #expect(try lines(.binance, "08-") == [
            #"{"type":"ticker","exchange":"binance","symbol":"NKN/USDT","bid":0.3521,"ask":0.3526,"bid_size":672,"ask_size":3199}"#,
        ])
        #expect(try lines(.kraken, "09-") == [
            #"{"type":"ticker","exchange":"kraken","symbol":"ALGO/USD","time":1695632671742,"last":0.10035,"bid":0.10025,"ask":0.10036,"bid_size":740,"ask_size":1361.44813783}"#,
        ])
    }

    @Test func printsTradesWithTheTakerSide() throws {
        #expect(try lines(.binance, "06-") == [
            #"{"type":"trade","exchange":"binance","symbol":"BNB/BTC","time":1672515782136,"price":0.001,"size":100,"side":"sell","id":"12345"}"#,
        ])
        #expect(try lines(.coinbase, "08-") == [
            #"{"type":"trade","exchange":"coinbase","symbol":"BTC/USD","time":1786309548167,"price":65083.67,"size":0.01034361,"side":"buy","id":"1068572091"}"#,
        ])
        #expect(try lines(.kucoin, "11-") == [
            #"{"type":"trade","exchange":"kucoin","symbol":"BTC/USDT","time":1729843222921,"price":67523,"size":0.003,"side":"buy","id":"11067996711960577"}"#,
        ])
        #expect(try lines(.kraken, "10-").count == 2)
    }

    @Test func printsBooks() throws {
        #expect(try lines(.binance, "11-") == [
            #"{"type":"book_delta","exchange":"binance","symbol":"NKN/USDT","time":1633998512568,"sequence":499869754,"bids":[[0.3517,4265]],"asks":[[0.3529,10968]]}"#,
        ])
        #expect(try lines(.kucoin, "15-") == [
            #"{"type":"book_delta","exchange":"kucoin","symbol":"BCHSV/USDT","sequence":1613277183893,"bids":[],"asks":[[243.287,0]]}"#,
        ])
        #expect(try lines(.kraken, "12-") == [
            #"{"type":"book_delta","exchange":"kraken","symbol":"MATIC/USD","time":1696613755440,"bids":[[0.5657,1098.3947558]],"asks":[]}"#,
        ])
        #expect(try lines(.coinbase, "10-") == [
            #"{"type":"book_snapshot","exchange":"coinbase","symbol":"BTC/USD","time":1675974770714,"sequence":0,"bids":[[21921.73,0.06317902],[21921.3,0.02]],"asks":[]}"#,
        ])
    }

    @Test func printsConnectionMessages() throws {
        #expect(try lines(.coinbase, "04-") == [#"{"type":"heartbeat","exchange":"coinbase","time":1786309548856}"#])
        #expect(try lines(.coinbase, "03-") == [#"{"type":"subscribed","exchange":"coinbase","time":1786309548228,"channels":["market_trades"]}"#])
        #expect(try lines(.kraken, "03-") == [#"{"type":"subscribed","exchange":"kraken","symbol":"ALGO/USD","channels":["book"]}"#])
        #expect(try lines(.binance, "04-") == [#"{"type":"error","exchange":"binance","code":"2","message":"Invalid request: invalid stream"}"#])
        #expect(try lines(.kucoin, "21-") == [#"{"type":"error","exchange":"kucoin","code":"400","message":"topic :XBTUSDM_/contractMarket/level2Depth5 is invalid"}"#])
        #expect(try lines(.binance, "17-") == [#"{"type":"other","exchange":"binance","time":1770123456789,"kind":"server_shutdown"}"#])
        #expect(try lines(.kucoin, "02-") == [#"{"type":"other","exchange":"kucoin","kind":"connected"}"#])
        #expect(try lines(.binance, "01-") == [#"{"type":"other","exchange":"binance","kind":"request SUBSCRIBE"}"#])
    }

    @Test func everyFixtureGivesValidJSONLines() throws {
        for exchange in Exchange.venues {
            var decoder = FrameDecoder(exchange: exchange)!
            for name in try Fixture.names(exchange) {
                for line in try decoder.normalizedLines(for: Fixture.bytes(exchange, name)) {
                    #expect(!line.contains("\n"))
                    #expect(try sameJSON(line, Array(line.utf8)), "\(name)")
                }
            }
        }
    }

    @Test func reportsUndecodableFrames() {
        var decoder = FrameDecoder(exchange: .kraken)!
        #expect(throws: ExchangeDecodeError.self) { try decoder.normalizedLines(for: "{\"channel\":") }
        #expect(decoder.exchange == .kraken)
    }

    @Test func escapesStrings() {
        let event = MarketEvent(exchange: .coinbase, symbol: nil, eventTime: nil, receiveTime: 0,
                                payload: .error(ExchangeMessageError(message: "bad \"quote\"\n\u{01}")))
        #expect(NormalizedJSON.line(for: event) == #"{"type":"error","exchange":"coinbase","message":"bad \"quote\"\n\u0001"}"#)
    }
}
