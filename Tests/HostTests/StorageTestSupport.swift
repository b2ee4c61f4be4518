import Foundation
@testable import Host
import Model

/// A fresh temporary folder, removed when the test's scope ends.
final class TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "chloe-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

enum Records {
    static func signal(_ symbol: String = "BTC/USDT", time: Int64, level: SignalLevel = .rated(.buy),
                       strategy: String = "rsi_reversal") -> Signal {
        Signal(symbol: symbol, exchange: "sim", time: time, level: level, confidence: 0.75, reason: "rsi crossed 30",
               strategy: strategy, strategyHash: "ab12", trigger: "1m", modelVersion: "m1",
               modelProbabilities: [0.1, 0.1, 0.2, 0.4, 0.2], indicators: ["rsi": 29.5, "macd.hist": -0.25],
               risk: Signal.Risk(size: 0.5, stopLoss: 99, takeProfit: 104),
               feed: Signal.Feed(quality: 0.98, lastEventAgeMilliseconds: 120, bookInSync: true), latencyMicroseconds: 42)
    }

    static func alert(_ symbol: String = "BTC/USDT", time: Int64, name: String = "breakout",
                      severity: AlertSeverity = .warning, strategy: String = "rsi_reversal") -> Alert {
        Alert(symbol: symbol, exchange: "sim", time: time, strategy: strategy, name: name, severity: severity,
              message: "price broke the range", price: 101.5)
    }
}
