import Foundation
import Indicators
import Testing
@testable import Host

@Suite struct CandleFileTests {
    private func parse(_ text: String) throws(DataFileError) -> [Candle] {
        try CandleFile.parse(Data(text.utf8), path: "t.csv")
    }

    private func failure(_ text: String) -> DataFileError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func readsCSVWithHeaderInAnyOrderAndCRLF() throws {
        let candles = try parse("volume,time,open,high,low,close,extra\r\n10,1000,1,2,0.5,1.5,x\r\n\r\n20,2000,1.5,3,1,2.5,y\r\n")
        #expect(candles == [
            Candle(time: 1000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10),
            Candle(time: 2000, open: 1.5, high: 3, low: 1, close: 2.5, volume: 20),
        ])
    }

    @Test func readsFreqtradeJSON() throws {
        let candles = try CandleFile.parse(Data("[[1000, 1, 2, 0.5, 1.5, 10],\n [2000,1.5e0,3,1,2.5,2e1]]".utf8), path: "t.json")
        #expect(candles.count == 2)
        #expect(candles[1] == Candle(time: 2000, open: 1.5, high: 3, low: 1, close: 2.5, volume: 20))
    }

    @Test func readsTheSharedCandleFiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/data/candles").standardized
        let candles = try CandleFile.read(path: root.appendingPathComponent("XRP_ETH-1m.csv").path)
        #expect(candles.count == 2469)
        #expect(candles.first?.time == 1_570_752_000_000)
    }

    @Test func missingHeaderColumnIsNamed() {
        let error = failure("time,open,high,low,close\n1,1,1,1,1\n")
        #expect(error?.line == 1)
        #expect(error?.description.contains("volume") == true)
    }

    @Test func badNumberNamesLineAndColumn() {
        let error = failure("time,open,high,low,close,volume\n1000,1,2,0.5,1.5,10\n2000,1,abc,0.5,1.5,10\n")
        #expect(error?.line == 3)
        #expect(error?.column == 3)
        #expect(error?.description == "t.csv:3:3: high 'abc' is not a finite number")
    }

    @Test(arguments: ["nan", "inf", "-infinity", ""])
    func nonFiniteOrEmptyValuesAreRefused(_ cell: String) {
        let error = failure("time,open,high,low,close,volume\n1000,1,2,0.5,\(cell),10\n")
        #expect(error?.line == 2)
        #expect(error?.column == 5)
    }

    @Test func shortRowIsRefused() {
        let error = failure("time,open,high,low,close,volume\n1000,1,2\n")
        #expect(error?.line == 2)
        #expect(error?.description.contains("expected 6 fields, found 3") == true)
    }

    @Test func fractionalTimeIsRefused() {
        #expect(failure("time,open,high,low,close,volume\n1000.5,1,2,0.5,1.5,10\n")?.column == 1)
    }

    @Test func emptyFileIsRefused() {
        #expect(failure("")?.description.contains("empty") == true)
    }

    @Test func jsonErrorsNameLineAndColumn() {
        do {
            _ = try CandleFile.parse(Data("[[1000,1,2,0.5,1.5,10],\n [2000,1,x,1,2,3]]".utf8), path: "t.json")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
            #expect(error.column == 10)
            #expect(error.description.contains("high"))
        }
    }

    @Test func jsonTruncatedIsRefused() {
        #expect(throws: DataFileError.self) {
            try CandleFile.parse(Data("[[1000,1,2,0.5,1.5,10],".utf8), path: "t.json")
        }
    }

    @Test func missingFileIsRefused() {
        #expect(throws: DataFileError.self) { try CandleFile.read(path: "/nonexistent/candles.csv") }
    }
}
