import Testing
@testable import Exchanges

@Suite struct SymbolMappingTests {
    @Test(arguments: [
        ("BTCUSDT", "BTC/USDT"), ("btcusdt", "BTC/USDT"), ("NKNUSDT", "NKN/USDT"), ("BNBBTC", "BNB/BTC"), ("ETHFDUSD", "ETH/FDUSD"),
        ("USDCUSDT", "USDC/USDT"), ("PAXGUSDT", "PAXG/USDT"), ("BTCTUSD", "BTC/TUSD"), ("USDTTRY", "USDT/TRY"), ("BTCEURI", "BTC/EURI"),
        ("BTCEUR", "BTC/EUR"), ("1INCHUSDT", "1INCH/USDT"),
    ])
    func splitsBinanceNames(_ native: String, _ canonical: String) {
        let symbols = Binance.Symbols()
        #expect(symbols.canonical(native: native) == sym(canonical))
        #expect(symbols.native(sym(canonical)) == native.uppercased())
    }

    @Test func binanceInstrumentTableWinsOverSuffixes() {
        // Without the table, "BTCUSDS" splits at the longest known quote, USDS.
        #expect(Binance.Symbols().canonical(native: "XYZBTCUSDS") == sym("XYZBTC/USDS"))
        let symbols = Binance.Symbols(instruments: [CanonicalSymbol(base: "XYZBTC", quote: "USDS"), CanonicalSymbol(base: "ABC", quote: "DUSD")])
        #expect(symbols.canonical(native: "ABCDUSD") == CanonicalSymbol(base: "ABC", quote: "DUSD"))
        #expect(Binance.Symbols().canonical(native: "ABCDUSD") == nil)  // DUSD is no known quote
        #expect(Binance.Symbols().canonical(native: "USDT") == nil)     // no base
        #expect(Binance.Symbols().streamName(sym("BTC/USDT")) == "btcusdt")
    }

    @Test(arguments: ["BTC/USDT", "ETH/EUR", "USDC/BTC"])
    func roundTripsDashedAndSlashedNames(_ canonical: String) {
        let symbol = sym(canonical)
        for mapping in [Coinbase.Symbols() as any NativeSymbolMapping, KuCoin.Symbols(), Kraken.Symbols(), Binance.Symbols()] {
            #expect(mapping.canonical(native: mapping.native(symbol)) == symbol, "\(type(of: mapping))")
        }
        #expect(Coinbase.Symbols().native(symbol) == canonical.replacingOccurrences(of: "/", with: "-"))
        #expect(Kraken.Symbols().native(symbol) == canonical)
    }

    @Test func readsKrakenVersionOneAssets() {
        #expect(Kraken.Symbols().canonical(native: "XBT/USD") == sym("BTC/USD"))
        #expect(Kraken.Symbols().canonical(native: "XDG/EUR") == sym("DOGE/EUR"))
        #expect(Kraken.Symbols().native(sym("BTC/USD")) == "BTC/USD")
        #expect(Kraken.Symbols().canonical(native: "BTCUSD") == nil)
    }

    @Test func refusesMalformedNames() {
        #expect(Coinbase.Symbols().canonical(native: "BTC-USD-X") == nil)
        #expect(KuCoin.Symbols().canonical(native: "BTC") == nil)
        #expect(KuCoin.Symbols().canonical(native: "-USDT") == nil)
        #expect(KuCoin.Symbols().canonical(native: "BCHSV-USDT") == sym("BCHSV/USDT"))
    }
}
