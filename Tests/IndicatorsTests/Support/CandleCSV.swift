import Foundation
import Indicators

/// Where the tests' data lives, found from this file's path (not the working directory).
enum TestData {
    /// The package root: three levels above `Tests/IndicatorsTests/Support/`.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // IndicatorsTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()
        .standardizedFileURL

    /// `../shared/data/candles` next to the project: real candle files, read-only.
    static let sharedCandles = packageRoot.appendingPathComponent("../shared/data/candles").standardizedFileURL

    /// `Tests/IndicatorsTests/Reference`: values written by `scripts/talib_reference.py`.
    static let reference = packageRoot.appendingPathComponent("Tests/IndicatorsTests/Reference")

    /// The candles of `../shared/data/candles/<name>`; a missing folder is an environment error.
    static func candles(_ name: String) throws -> [Candle] {
        let url = sharedCandles.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TestDataError(message: """
                environment error: shared candle data not found at \(url.path). \
                These tests read the real candles in ../shared/data/candles relative to the package \
                root (\(packageRoot.path)); check that the shared data folder is mounted next to the project.
                """)
        }
        return try CandleCSV.read(url)
    }

    /// A text file of the reference folder, trimmed.
    static func referenceText(_ name: String) throws -> String {
        let url = reference.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw TestDataError(message: "reference file \(url.path) is missing; run `python3 scripts/talib_reference.py` from the project root")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A failure to find or read test data, with a message saying what to do.
struct TestDataError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A numeric CSV file with a header line, held column by column. Empty cells read as NaN.
struct CSVTable {
    let path: String
    let header: [String]
    /// One array per header column, every one `rowCount` long.
    let columns: [[Double]]
    let rowCount: Int

    /// The column named `name`, or nil.
    func column(_ name: String) -> [Double]? {
        header.firstIndex(of: name).map { columns[$0] }
    }

    static func read(_ url: URL) throws -> CSVTable {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw TestDataError(message: "cannot read \(url.path)")
        }
        return try parse(String(decoding: data, as: UTF8.self), path: url.path)
    }

    /// Parses `text`: the first non-empty line is the header; blank lines are skipped and a
    /// trailing `\r` is dropped. Every row must have as many cells as the header.
    static func parse(_ text: String, path: String) throws -> CSVTable {
        var header: [String]?
        var columns: [[Double]] = []
        var rowCount = 0
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.last == "\r" ? rawLine.dropLast() : rawLine
            if line.isEmpty { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard let names = header else {
                header = cells.map { String($0).trimmingCharacters(in: .whitespaces) }
                columns = Array(repeating: [], count: cells.count)
                continue
            }
            guard cells.count == names.count else {
                throw TestDataError(message: "\(path):\(lineNumber): \(cells.count) cells, the header has \(names.count)")
            }
            for (i, cell) in cells.enumerated() {
                if cell.isEmpty {
                    columns[i].append(.nan)
                } else if let x = Double(cell), x.isFinite {
                    columns[i].append(x)
                } else {
                    throw TestDataError(message: "\(path):\(lineNumber):\(i + 1): \(names[i]) '\(cell)' is not a finite number")
                }
            }
            rowCount += 1
        }
        guard let header else { throw TestDataError(message: "\(path): empty file") }
        return CSVTable(path: path, header: header, columns: columns, rowCount: rowCount)
    }
}

/// Reads `time,open,high,low,close,volume` candle files (columns in any order, extra ones ignored).
enum CandleCSV {
    static func read(_ url: URL) throws -> [Candle] {
        let table = try CSVTable.read(url)
        var fields: [[Double]] = []
        for name in ["time", "open", "high", "low", "close", "volume"] {
            guard let column = table.column(name) else {
                throw TestDataError(message: "\(url.path): no '\(name)' column (header: \(table.header.joined(separator: ",")))")
            }
            if let row = column.firstIndex(where: \.isNaN) {
                throw TestDataError(message: "\(url.path): empty \(name) on data row \(row + 1)")
            }
            fields.append(column)
        }
        return (0..<table.rowCount).map { i in
            Candle(time: Int64(fields[0][i]), open: fields[1][i], high: fields[2][i],
                   low: fields[3][i], close: fields[4][i], volume: fields[5][i])
        }
    }

    /// The six fields as separate arrays, for batch APIs.
    struct Columns {
        var time: [Int64] = []
        var open: [Double] = []
        var high: [Double] = []
        var low: [Double] = []
        var close: [Double] = []
        var volume: [Double] = []

        init(_ candles: [Candle]) {
            time = candles.map(\.time)
            open = candles.map(\.open)
            high = candles.map(\.high)
            low = candles.map(\.low)
            close = candles.map(\.close)
            volume = candles.map(\.volume)
        }
    }
}
