import Indicators

/// Parses freqtrade's JSON candle arrays `[[time,open,high,low,close,volume], ...]`,
/// tracking line and column for errors. See ``CandleFile``.
struct CandleJSONParser {
    let bytes: [UInt8]
    let path: String
    private var i = 0
    private var line = 1
    private var lineStart = 0

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    mutating func parse() throws(DataFileError) -> [Candle] {
        try expect(UInt8(ascii: "["), "a JSON array of candles")
        var candles: [Candle] = []
        skipSpace()
        if peek == UInt8(ascii: "]") { i += 1; return try finish(candles) }
        while true {
            candles.append(try candle())
            skipSpace()
            guard let c = peek else { throw error("the file ends inside the outer array; expected ',' or ']'") }
            i += 1
            if c == UInt8(ascii: "]") { return try finish(candles) }
            guard c == UInt8(ascii: ",") else { i -= 1; throw error("expected ',' or ']' between candles") }
        }
    }

    private mutating func finish(_ candles: [Candle]) throws(DataFileError) -> [Candle] {
        skipSpace()
        guard peek == nil else { throw error("unexpected text after the candle array") }
        return candles
    }

    private mutating func candle() throws(DataFileError) -> Candle {
        try expect(UInt8(ascii: "["), "a candle [time,open,high,low,close,volume]")
        var values = [Double](repeating: 0, count: 6)
        var timeColumn = (line: line, column: 0)
        for k in 0..<6 {
            if k > 0 { try expect(UInt8(ascii: ","), "',' and the candle's \(CandleFile.requiredColumns[k])") }
            skipSpace()
            if k == 0 { timeColumn = (line, i - lineStart + 1) }
            values[k] = try number(CandleFile.requiredColumns[k])
        }
        skipSpace()
        // freqtrade rows sometimes carry extra fields; ignore numeric extras.
        while peek == UInt8(ascii: ",") {
            i += 1
            skipSpace()
            _ = try number("extra field")
            skipSpace()
        }
        try expect(UInt8(ascii: "]"), "']' closing the candle")
        guard let time = Int64(exactly: values[0]) else {
            throw DataFileError(path: path, line: timeColumn.line, column: timeColumn.column,
                                  reason: "time '\(values[0])' is not a whole number of epoch milliseconds")
        }
        return Candle(time: time, open: values[1], high: values[2], low: values[3], close: values[4], volume: values[5])
    }

    private mutating func number(_ field: String) throws(DataFileError) -> Double {
        let start = i
        while let c = peek, c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
                || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") || (c >= 0x30 && c <= 0x39) {
            i += 1
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            i = start
            let shown = text.isEmpty ? String(decoding: bytes[start..<min(bytes.count, start + 20)], as: UTF8.self) : text
            throw error("\(field) '\(shown)' is not a finite number")
        }
        return value
    }

    private var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

    private mutating func skipSpace() {
        while let c = peek, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
            if c == 0x0A { line += 1; lineStart = i + 1 }
            i += 1
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(DataFileError) {
        skipSpace()
        guard peek == byte else { throw error("expected \(what)") }
        i += 1
    }

    private func error(_ reason: String) -> DataFileError {
        DataFileError(path: path, line: line, column: i - lineStart + 1, reason: reason)
    }
}
