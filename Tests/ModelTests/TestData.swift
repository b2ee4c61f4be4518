import Foundation
import Indicators

/// The shared market data and the bundled fixtures the model tests read.
enum TestData {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let candles = root.appendingPathComponent("../shared/data/candles").standardizedFileURL

    /// A shared candle CSV (`time,open,high,low,close,volume`).
    static func candles(_ name: String) throws -> [Candle] {
        let text = try String(contentsOf: candles.appendingPathComponent(name), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: ",").map { Double($0)! }
            return Candle(time: Int64(f[0]), open: f[1], high: f[2], low: f[3], close: f[4], volume: f[5])
        }
    }

    /// A file from `Fixtures/`.
    static func fixture(_ name: String) -> URL {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(name)
    }

    /// A numeric CSV fixture; `header` says whether the first line names the columns.
    static func table(_ name: String, header: Bool) throws -> (names: [String], rows: [[Double]]) {
        let lines = try String(contentsOf: fixture(name), encoding: .utf8).split(separator: "\n")
        let names = header ? lines[0].split(separator: ",").map(String.init) : []
        let rows = lines.dropFirst(header ? 1 : 0).map { $0.split(separator: ",").map { $0 == "nan" ? Double.nan : Double($0)! } }
        return (names, rows)
    }

    /// A deterministic synthetic series whose one-candle returns carry momentum, so the next
    /// return is partly predictable from the last: a model must beat the prior on it.
    static func momentumSeries(count: Int, seed: UInt64 = 1) -> [Candle] {
        var state = seed
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) * 0x1p-53
        }
        var close = 100.0
        var last = 0.0
        var candles = [Candle]()
        for i in 0..<count {
            let r = 0.6 * last + (uniform() - 0.5) * 0.01
            last = r
            let open = close
            close = open * exp(r)
            let high = max(open, close) * (1 + uniform() * 0.002)
            let low = min(open, close) * (1 - uniform() * 0.002)
            candles.append(Candle(time: Int64(i) * 60_000, open: open, high: high, low: low, close: close, volume: 10 + uniform() * 5))
        }
        return candles
    }
}

/// Bitwise equality that treats NaN as equal to NaN.
func sameValues(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
}
