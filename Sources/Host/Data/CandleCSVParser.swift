import Indicators

/// Parses candle CSV text. See ``CandleFile``.
struct CandleCSVParser {
    let bytes: [UInt8]
    let path: String

    func parse() throws(DataFileError) -> [Candle] {
        var lines = LineReader(bytes: bytes)
        guard let header = lines.next() else {
            throw DataFileError(path: path, line: 0, column: 0, reason: "the file is empty; expected a header line \(CandleFile.requiredColumns.joined(separator: ","))")
        }
        let names = fields(header.text).map { String(decoding: $0, as: UTF8.self).trimmed.lowercased() }
        var positions: [Int] = []
        for required in CandleFile.requiredColumns {
            guard let i = names.firstIndex(of: required) else {
                throw DataFileError(path: path, line: header.number, column: 1,
                                      reason: "header lacks column '\(required)'; a candle CSV needs \(CandleFile.requiredColumns.joined(separator: ",")) (got: \(names.joined(separator: ",")))")
            }
            positions.append(i)
        }
        var candles: [Candle] = []
        candles.reserveCapacity(bytes.count / 48)
        var values = [Double](repeating: 0, count: 6)
        while let line = lines.next() {
            if line.text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let cells = fields(line.text)
            guard cells.count >= names.count else {
                throw DataFileError(path: path, line: line.number, column: cells.count + 1,
                                      reason: "expected \(names.count) fields, found \(cells.count)")
            }
            for (k, position) in positions.enumerated() {
                let cell = cells[position]
                guard let value = Double(String(decoding: cell, as: UTF8.self).trimmed), value.isFinite else {
                    let text = String(decoding: cell.prefix(40), as: UTF8.self)
                    throw DataFileError(path: path, line: line.number, column: position + 1,
                                          reason: "\(CandleFile.requiredColumns[k]) '\(text)' is not a finite number")
                }
                values[k] = value
            }
            guard let time = Int64(exactly: values[0]) else {
                throw DataFileError(path: path, line: line.number, column: positions[0] + 1,
                                      reason: "time '\(values[0])' is not a whole number of epoch milliseconds")
            }
            candles.append(Candle(time: time, open: values[1], high: values[2], low: values[3], close: values[4], volume: values[5]))
        }
        return candles
    }

    private func fields(_ line: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
    }
}

/// Splits bytes into lines (LF or CRLF), numbering them from 1.
struct LineReader {
    let bytes: [UInt8]
    var start = 0
    var number = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func next() -> (number: Int, text: ArraySlice<UInt8>)? {
        guard start < bytes.count else { return nil }
        var end = start
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        var textEnd = end
        if textEnd > start, bytes[textEnd - 1] == 0x0D { textEnd -= 1 }
        let text = bytes[start..<textEnd]
        start = end + 1
        number += 1
        return (number, text)
    }
}

extension String {
    var trimmed: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
