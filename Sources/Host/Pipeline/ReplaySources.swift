import Exchanges
import Foundation
import Indicators

/// Loads recorded candle and trade files as sources for the simulated exchange, naming each
/// symbol after its file (`XRP_ETH-1m.csv` is `XRP/ETH`) unless told otherwise.
public enum ReplaySources {
    /// The symbol a data file's name gives: the part before the first `-`, read as `BASE_QUOTE`.
    public static func symbol(forFile path: String) -> CanonicalSymbol? {
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return CanonicalSymbol(String(name.split(separator: "-").first ?? ""))
    }

    /// A candle file (CSV or freqtrade JSON) as a source.
    public static func candles(path: String) throws(DataFileError) -> SimulatedSource {
        let candles = try CandleFile.read(path: path).map {
            RecordedCandle(time: $0.time, open: $0.open, high: $0.high, low: $0.low, close: $0.close, volume: $0.volume)
        }
        return .candles(candles, intervalMilliseconds: SimulatedSource.interval(of: candles))
    }

    /// A trade CSV file as a source.
    public static func trades(path: String) throws(DataFileError) -> SimulatedSource {
        .trades(try TradeFile.read(path: path))
    }

    /// Every `*.csv` candle file in `directory`, by the symbol its name gives; files whose name
    /// is not a symbol are skipped, a malformed file throws.
    public static func candleDirectory(_ directory: String) throws -> [CanonicalSymbol: SimulatedSource] {
        var sources: [CanonicalSymbol: SimulatedSource] = [:]
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".csv") }.sorted()
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let symbol = symbol(forFile: path), sources[symbol] == nil else { continue }
            sources[symbol] = try candles(path: path)
        }
        return sources
    }
}
