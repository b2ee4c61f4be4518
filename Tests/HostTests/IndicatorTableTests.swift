import Indicators
import Testing
@testable import Host

@Suite struct IndicatorTableTests {
    let candles = (0..<5).map { i in
        Candle(time: Int64(i) * 60_000, open: 1, high: Double(i) + 2, low: 0.5, close: Double(i) + 1, volume: 10)
    }

    private func render(_ list: String, _ format: IndicatorTable.Format) throws -> String {
        var text = ""
        try IndicatorTable(specs: IndicatorSpec.parseList(list)).render(candles, format: format) { text += $0 }
        return text
    }

    @Test func csvHasHeaderEmptyWarmupCellsAndValues() throws {
        let text = try render("sma:3", .csv)
        #expect(text == "time,sma_3\n0,\n60000,\n120000,2.0\n180000,3.0\n240000,4.0\n")
    }

    @Test func jsonLinesUseNullForWarmup() throws {
        let lines = try render("sma:2", .json).split(separator: "\n")
        #expect(lines.first == #"{"time":0,"sma_2":null}"#)
        #expect(lines.last == #"{"time":240000,"sma_2":4.5}"#)
    }

    @Test func defaultSpecsCoverTheWholeCatalog() {
        let table = IndicatorTable(specs: IndicatorCatalog.standard)
        #expect(table.columns.first == "time")
        #expect(table.columns.count == 1 + IndicatorCatalog.all.reduce(0) { $0 + $1.outputs.count })
    }
}
