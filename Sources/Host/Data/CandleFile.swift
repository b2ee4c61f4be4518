import Foundation
import Indicators

/// Reads candle files: CSV with a `time,open,high,low,close,volume` header (columns in any
/// order, extra columns ignored, `time` in epoch ms), or freqtrade's JSON candle arrays
/// `[[time,open,high,low,close,volume], ...]`.
///
/// Every value must be a finite number; the first bad one is reported with its line and column.
public enum CandleFile {
    /// The columns a CSV header must name.
    public static let requiredColumns = ["time", "open", "high", "low", "close", "volume"]

    /// Reads the file at `path`, choosing the format from its first non-blank character
    /// (`[` means JSON).
    public static func read(path: String) throws(DataFileError) -> [Candle] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataFileError(path: path, line: 0, column: 0, reason: "cannot read the file (missing or unreadable)")
        }
        return try parse(data, path: path)
    }

    /// Parses file contents; `path` is used in error messages only.
    public static func parse(_ data: Data, path: String) throws(DataFileError) -> [Candle] {
        let bytes = [UInt8](data)
        let first = bytes.first { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }
        if first == UInt8(ascii: "[") {
            var parser = CandleJSONParser(bytes: bytes, path: path)
            return try parser.parse()
        }
        return try CandleCSVParser(bytes: bytes, path: path).parse()
    }
}
