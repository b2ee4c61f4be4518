import Exchanges
import Foundation

/// Reads trade CSV files: a header naming `time,id,side,price,amount` (columns in any order,
/// extra columns ignored; `size` is accepted for `amount`), `time` in epoch ms, `side` the
/// taker's side (`buy`/`sell`), price and amount exact decimals.
///
/// Rows must be in time order (a replay depends on it); the first bad value is reported with
/// its line and column.
public enum TradeFile {
    /// The columns a header must name.
    public static let requiredColumns = ["time", "id", "side", "price", "amount"]

    /// Reads the file at `path`.
    public static func read(path: String) throws(DataFileError) -> [RecordedTrade] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataFileError(path: path, line: 0, column: 0, reason: "cannot read the file (missing or unreadable)")
        }
        return try parse(data, path: path)
    }

    /// Parses file contents; `path` is used in error messages only.
    public static func parse(_ data: Data, path: String) throws(DataFileError) -> [RecordedTrade] {
        var lines = LineReader(bytes: [UInt8](data))
        guard let header = lines.next() else {
            throw DataFileError(path: path, line: 0, column: 0, reason: "the file is empty; expected a header line \(requiredColumns.joined(separator: ","))")
        }
        let names = split(header.text).map { String(decoding: $0, as: UTF8.self).trimmed.lowercased() }
        var positions: [Int] = []
        for required in requiredColumns {
            guard let i = names.firstIndex(of: required) ?? (required == "amount" ? names.firstIndex(of: "size") : nil) else {
                throw DataFileError(path: path, line: header.number, column: 1,
                                     reason: "header lacks column '\(required)'; a trade CSV needs \(requiredColumns.joined(separator: ",")) (got: \(names.joined(separator: ",")))")
            }
            positions.append(i)
        }
        var trades: [RecordedTrade] = []
        trades.reserveCapacity(data.count / 40)
        var previousTime = Int64.min
        while let line = lines.next() {
            if line.text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let cells = split(line.text)
            guard cells.count >= names.count else {
                throw DataFileError(path: path, line: line.number, column: cells.count + 1,
                                     reason: "expected \(names.count) fields, found \(cells.count)")
            }
            func text(_ k: Int) -> String { String(decoding: cells[positions[k]], as: UTF8.self).trimmed }
            func fail(_ k: Int, _ why: String) -> DataFileError {
                DataFileError(path: path, line: line.number, column: positions[k] + 1,
                               reason: "\(requiredColumns[k]) '\(String(text(k).prefix(40)))' \(why)")
            }
            guard let time = Int64(text(0)) else { throw fail(0, "is not a whole number of epoch milliseconds") }
            guard time >= previousTime else { throw fail(0, "is earlier than the row before (\(previousTime)); trades must be in time order") }
            previousTime = time
            let id = text(1)
            guard let side = TradeSide(rawValue: text(2).lowercased()) else { throw fail(2, "is not a taker side; expected buy or sell") }
            guard let price = ExactDecimal(text(3)), price > .zero else { throw fail(3, "is not a positive decimal price") }
            guard let size = ExactDecimal(text(4)), size >= .zero else { throw fail(4, "is not a non-negative decimal amount") }
            trades.append(RecordedTrade(time: time, id: id, takerSide: side, price: price, size: size))
        }
        return trades
    }

    private static func split(_ line: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
    }
}
