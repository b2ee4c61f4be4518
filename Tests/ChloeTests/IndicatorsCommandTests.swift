import Foundation
import Testing

/// Runs the built `chloe` binary the way a user's script would.
@Suite struct IndicatorsCommandTests {
    @Test func printsTheRequestedColumns() throws {
        let result = try Chloe.run(["indicators", "--candles", Chloe.sample, "--indicators", "sma:3,sma:5"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "time,sma_3,sma_5")
        #expect(lines.count == 2470)
        #expect(lines[1] == "1570752000000,,")
        #expect(lines[3].hasPrefix("1570752120000,0.0014155"))
    }

    @Test func malformedFileExitsTwoNamingLineAndColumn() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chloe-bad-\(UUID()).csv")
        try "time,open,high,low,close,volume\n1,1,1,1,1,1\n2,1,1,oops,1,1\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try Chloe.run(["indicators", "--candles", file.path])
        #expect(result.status == 2)
        #expect(result.stderr.contains(":3:4: low 'oops' is not a finite number"))
        #expect(result.stdout.isEmpty)
    }

    @Test func unknownIndicatorIsAUsageError() throws {
        let result = try Chloe.run(["indicators", "--candles", Chloe.sample, "--indicators", "sma:14,nosuch:3"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("unknown indicator 'nosuch'"))
    }

    @Test func helpExplainsItself() throws {
        let result = try Chloe.run(["indicators", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("--candles"))
        #expect(try Chloe.run(["--help"]).stdout.contains("indicators"))
    }
}
