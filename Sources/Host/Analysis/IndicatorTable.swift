import Indicators

/// Runs a set of indicators over a candle series and renders one row per candle: the
/// contract of `chloe indicators`.
public struct IndicatorTable {
    /// Output formats.
    public enum Format: String, Sendable, CaseIterable {
        /// A header line `time,<columns>`, then one line per candle; warm-up cells are empty.
        case csv
        /// One JSON object per line (JSON Lines); warm-up values are `null`.
        case json
    }

    public let specs: [IndicatorSpec]
    /// `time` followed by every indicator's output columns, in order.
    public let columns: [String]

    public init(specs: [IndicatorSpec]) {
        self.specs = specs
        columns = ["time"] + specs.flatMap(\.columnNames)
    }

    /// Computes every row and hands the rendered text to `write` in chunks.
    public func render(_ candles: [Candle], format: Format, write: (String) -> Void) throws(IndicatorError) {
        var indicators: [any CandleIndicator] = []
        for spec in specs { indicators.append(try spec.makeIndicator()) }
        var chunk = ""
        chunk.reserveCapacity(1 << 16)
        if format == .csv { chunk += columns.joined(separator: ",") + "\n" }
        let names = columns.dropFirst().map { "\"\($0)\":" }
        for candle in candles {
            var row: [Double] = []
            row.reserveCapacity(names.count)
            for k in indicators.indices {
                let ready = try indicators[k].update(candle)
                for output in indicators[k].outputNames.indices {
                    row.append(ready ? indicators[k].value(output) : .nan)
                }
            }
            switch format {
            case .csv:
                chunk += String(candle.time)
                for value in row {
                    chunk += ","
                    if !value.isNaN { chunk += value.description }
                }
                chunk += "\n"
            case .json:
                chunk += "{\"time\":" + String(candle.time)
                for (name, value) in zip(names, row) {
                    chunk += "," + name + (value.isNaN ? "null" : value.description)
                }
                chunk += "}\n"
            }
            if chunk.utf8.count > 60_000 {
                write(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        if !chunk.isEmpty { write(chunk) }
    }
}
