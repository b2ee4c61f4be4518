import Testing
@testable import Exchanges

@Suite struct CanonicalSymbolTests {
    @Test(arguments: ["BTC/USDT", "btc/usdt", "BTC_USDT", "BTC-USDT"])
    func parsesSeparators(_ text: String) {
        #expect(CanonicalSymbol(text) == CanonicalSymbol(base: "BTC", quote: "USDT"))
        #expect(CanonicalSymbol(text)?.description == "BTC/USDT")
    }

    @Test(arguments: ["BTCUSDT", "", "/USDT", "BTC/", "A/B/C", "BT C/USD"])
    func refusesMalformed(_ text: String) {
        #expect(CanonicalSymbol(text) == nil)
    }
}
