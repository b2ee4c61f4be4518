import Foundation
import Testing

/// `chloe decode` end to end: real exchange frames in (copied from `../shared/fixtures/exchanges`,
/// the same files as `Tests/ExchangesTests/Fixtures`), normalized JSON lines out.
@Suite struct DecodeCommandTests {
    /// Real frames, one per line as the command reads them.
    enum Frame {
        /// binance/06-trade-raw-docs.json, compacted to one line: the buyer is the maker
        /// (`"m":true`), so the taker sold.
        static let binanceTrade = #"{"e":"trade","E":1672515782136,"s":"BNBBTC","t":12345,"p":"0.001","q":"100","T":1672515782136,"m":true,"M":true}"#
        /// binance/07-aggtrade-combined.json: the buyer is the taker (`"m":false`).
        static let binanceAggTrade = #"{"stream":"nknusdt@aggTrade","data":{"e":"aggTrade","E":1633998523963,"s":"NKNUSDT","a":15683430,"p":"0.35280000","q":"58.00000000","f":19862790,"l":19862790,"T":1633998523963,"m":false,"M":true}}"#
        /// binance/05-ticker-combined.json
        static let binanceTicker = #"{"stream":"ethusdt@ticker","data":{"e":"24hrTicker","E":1653812650349,"s":"ETHUSDT","p":"28.23000000","P":"1.600","w":"1781.16275609","x":"1764.61000000","c":"1792.84000000","Q":"0.55720000","b":"1792.83000000","B":"1.62740000","a":"1792.84000000","A":"20.29140000","o":"1764.61000000","h":"1808.98000000","l":"1748.94000000","v":"471703.53110000","q":"840180761.51358100","O":1653726250344,"C":1653812650344,"F":841094172,"L":841646650,"n":552479}}"#
        /// binance/12-depth-update-U499869755.json
        static let binanceDepth = #"{"stream":"nknusdt@depth@100ms","data":{"e":"depthUpdate","E":1633998512668,"s":"NKNUSDT","U":499869755,"u":499869757,"b":[["0.35200000","1290.00000000"],["0.34730000","106.00000000"],["0.34690000","14009.00000000"]],"a":[]}}"#
        /// coinbase/07-ticker-update.json
        static let coinbaseTicker = #"{"channel":"ticker","timestamp":"2026-08-09T21:05:48.298032046Z","sequence_num":10,"events":[{"type":"update","tickers":[{"type":"ticker","product_id":"ETH-USD","price":"1919.41","volume_24_h":"19975.95927439","low_24_h":"1911.04","high_24_h":"1925","low_52_w":"1505","high_52_w":"4955.9","price_percent_chg_24_h":"0.02501394006035","best_bid":"1919.44","best_ask":"1919.49","best_bid_quantity":"0.02858092","best_ask_quantity":"0.07814824"}]}]}"#
        /// kraken/10-trade-snapshot-docs.json, compacted: two trades in one frame.
        static let krakenTrades = #"{"channel":"trade","type":"snapshot","data":[{"symbol":"MATIC/USD","side":"buy","price":0.5147,"qty":6423.46326,"ord_type":"limit","trade_id":4665846,"timestamp":"2023-09-25T07:48:36.925533Z"},{"symbol":"MATIC/USD","side":"buy","price":0.5147,"qty":1136.19677815,"ord_type":"limit","trade_id":4665847,"timestamp":"2023-09-25T07:49:36.925603Z"}]}"#
        /// kucoin/15-level2-update-first-seq893.json
        static let kucoinDelta = #"{"data":{"sequenceStart":1613277183893,"symbol":"BCHSV-USDT","changes":{"asks":[["243.287","0","1613277183893"]],"bids":[]},"sequenceEnd":1613277183893},"subject":"trade.l2update","topic":"/market/level2:BCHSV-USDT","type":"message"}"#
    }

    enum Expected {
        static let binanceTrade = #"{"type":"trade","exchange":"binance","symbol":"BNB/BTC","time":1672515782136,"price":0.001,"size":100,"side":"sell","id":"12345"}"#
        static let binanceAggTrade = #"{"type":"trade","exchange":"binance","symbol":"NKN/USDT","time":1633998523963,"price":0.3528,"size":58,"side":"buy","id":"15683430"}"#
        static let binanceTicker = #"{"type":"ticker","exchange":"binance","symbol":"ETH/USDT","time":1653812650349,"last":1792.84,"bid":1792.83,"ask":1792.84,"bid_size":1.6274,"ask_size":20.2914}"#
        static let binanceDepth = #"{"type":"book_delta","exchange":"binance","symbol":"NKN/USDT","time":1633998512668,"sequence":499869757,"bids":[[0.352,1290],[0.3473,106],[0.3469,14009]],"asks":[]}"#
    }

    static let fixtures = Chloe.root.appendingPathComponent("Tests/ExchangesTests/Fixtures")

    /// Writes `text` to a fresh temporary file; the caller removes it.
    private func temporaryFile(_ text: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chloe-frames-\(UUID()).jsonl")
        try Data(text.utf8).write(to: file)
        return file
    }

    private func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test func decodesBinanceTradesTickersAndBookDeltas() throws {
        let file = try temporaryFile([Frame.binanceTrade, Frame.binanceAggTrade, Frame.binanceTicker, Frame.binanceDepth]
            .joined(separator: "\n") + "\n")
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try Chloe.run(["decode", "--exchange", "binance", file.path])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(lines(result.stdout) == [Expected.binanceTrade, Expected.binanceAggTrade, Expected.binanceTicker, Expected.binanceDepth])
    }

    @Test func reportsABadLineByNumberAndGoesOn() throws {
        // Line 2 is blank (skipped, still counted), 3 is garbage, 5 is a truncated frame.
        let input = [Frame.binanceTrade, "", "garbage{", Frame.binanceTicker, #"{"stream":"ethusdt@ticker","data":"#, Frame.binanceDepth]
            .joined(separator: "\n") + "\n"
        let file = try temporaryFile(input)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try Chloe.run(["decode", "--exchange", "binance", file.path])
        #expect(result.status == 1)
        #expect(lines(result.stdout) == [Expected.binanceTrade, Expected.binanceTicker, Expected.binanceDepth])
        let errors = lines(result.stderr)
        #expect(errors.count == 3)
        #expect(errors.first?.hasPrefix("chloe decode: \(file.path):3: Binance: malformed JSON") == true)
        #expect(errors.dropFirst().first?.hasPrefix("chloe decode: \(file.path):5: Binance: ") == true)
        #expect(errors.last == "chloe decode: 2 of 5 frames could not be decoded")
    }

    @Test func readsStandardInputWhenNoFileIsGiven() throws {
        // CRLF line endings and whitespace-only lines are fine too.
        let input = Frame.binanceDepth + "\r\n  \r\n" + Frame.binanceTrade
        let result = try Chloe.run(["decode", "--exchange", "binance"], stdin: input)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(lines(result.stdout) == [Expected.binanceDepth, Expected.binanceTrade])

        let dash = try Chloe.run(["decode", "--exchange", "binance", "-"], stdin: "garbage\n" + Frame.binanceTicker + "\n")
        #expect(dash.status == 1)
        #expect(lines(dash.stdout) == [Expected.binanceTicker])
        #expect(dash.stderr.hasPrefix("chloe decode: <stdin>:1: Binance: malformed JSON"))

        let empty = try Chloe.run(["decode", "--exchange", "kraken"], stdin: "")
        #expect(empty.status == 0)
        #expect(empty.stdout.isEmpty && empty.stderr.isEmpty)
    }

    @Test func decodesTheOtherExchanges() throws {
        let coinbase = try Chloe.run(["decode", "--exchange", "coinbase"], stdin: Frame.coinbaseTicker + "\n")
        #expect(coinbase.status == 0)
        #expect(lines(coinbase.stdout) == [
            #"{"type":"ticker","exchange":"coinbase","symbol":"ETH/USD","time":1786309548298,"last":1919.41,"bid":1919.44,"ask":1919.49,"bid_size":0.02858092,"ask_size":0.07814824}"#,
        ])
        let kraken = try Chloe.run(["decode", "--exchange", "kraken"], stdin: Frame.krakenTrades + "\n")
        #expect(kraken.status == 0)
        #expect(lines(kraken.stdout) == [
            #"{"type":"trade","exchange":"kraken","symbol":"MATIC/USD","time":1695628116925,"price":0.5147,"size":6423.46326,"side":"buy","id":"4665846"}"#,
            #"{"type":"trade","exchange":"kraken","symbol":"MATIC/USD","time":1695628176925,"price":0.5147,"size":1136.19677815,"side":"buy","id":"4665847"}"#,
        ])
        let kucoin = try Chloe.run(["decode", "--exchange", "kucoin"], stdin: Frame.kucoinDelta + "\n")
        #expect(kucoin.status == 0)
        #expect(lines(kucoin.stdout) == [
            #"{"type":"book_delta","exchange":"kucoin","symbol":"BCHSV/USDT","sequence":1613277183893,"bids":[],"asks":[[243.287,0]]}"#,
        ])
    }

    /// A 2.5 MB Coinbase level2 snapshot on one line: far longer than the reader's block.
    @Test func decodesALineLongerThanTheReadBuffer() throws {
        let coinbase = Self.fixtures.appendingPathComponent("coinbase")
        let snapshot = try String(contentsOf: coinbase.appendingPathComponent("11-l2-snapshot-ETH-USD.json"), encoding: .utf8)
        let update = try String(contentsOf: coinbase.appendingPathComponent("12-l2-update-ETH-USD-seq22.json"), encoding: .utf8)
        #expect(!snapshot.contains("\n") && !update.contains("\n"))
        let file = try temporaryFile(snapshot + "\n" + update)  // no newline after the last frame
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try Chloe.run(["decode", "--exchange", "coinbase", file.path])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let output = lines(result.stdout)
        try #require(output.count == 2)
        #expect(output[0].hasPrefix(#"{"type":"book_snapshot","exchange":"coinbase","symbol":"ETH/USD","time":1786309548618,"sequence":21,"bids":[[1919.44,0.02858092],"#))
        #expect(output[1] == #"{"type":"book_delta","exchange":"coinbase","symbol":"ETH/USD","time":1786309548628,"sequence":22,"bids":[[1918.55,0.00000131],[1917.95,1.1531],[1917.35,0]],"asks":[]}"#)

        // Every level of the raw snapshot is in the printed book.
        let raw = try #require(JSONSerialization.jsonObject(with: Data(snapshot.utf8)) as? [String: Any])
        let events = try #require(raw["events"] as? [[String: Any]])
        let updates = try #require(events.first?["updates"] as? [[String: Any]])
        let printed = try #require(JSONSerialization.jsonObject(with: Data(output[0].utf8)) as? [String: Any])
        let bids = try #require(printed["bids"] as? [[Any]])
        let asks = try #require(printed["asks"] as? [[Any]])
        #expect(bids.count == updates.filter { $0["side"] as? String == "bid" }.count)
        #expect(asks.count == updates.filter { $0["side"] as? String == "offer" }.count)
        #expect(bids.count + asks.count == updates.count)
    }

    @Test func unknownExchangeIsAUsageError() throws {
        let result = try Chloe.run(["decode", "--exchange", "bitmex"], stdin: Frame.binanceTrade + "\n")
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("'bitmex' is invalid for '--exchange <name>'"))
        #expect(result.stderr.contains("kucoin"))

        let missing = try Chloe.run(["decode"], stdin: "")
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("--exchange"))
    }

    @Test func unreadableFileExitsTwo() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chloe-no-such-\(UUID()).jsonl").path
        let result = try Chloe.run(["decode", "--exchange", "kraken", path])
        #expect(result.status == 2)
        #expect(result.stderr == "chloe decode: cannot open \(path): No such file or directory\n")
    }

    @Test func helpExplainsItself() throws {
        let result = try Chloe.run(["decode", "--help"])
        #expect(result.status == 0)
        // Help is wrapped to the terminal's width: compare with the line breaks taken out.
        let help = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for phrase in ["--exchange <name>", "binance, coinbase, kraken, kucoin", "book_delta", "the taker's", "standard input", "Exit status"] {
            #expect(help.contains(phrase), "\(phrase)")
        }
        #expect(try Chloe.run(["--help"]).stdout.contains("decode"))
    }
}
