import Foundation
@testable import Host
import Testing

/// The signal JSON written by hand is byte for byte what the records' encoder writes, so stored
/// bodies and WebSocket frames read back exactly as before.
@Suite struct SignalJSONTests {
    static func encoded(_ signal: Signal) throws -> String {
        String(decoding: try RecordCoding.makeEncoder().encode(signal), as: UTF8.self)
    }

    static var variants: [Signal] {
        let full = Records.signal(time: 1_700_000_000_123)
        var bare = Signal(symbol: "X/Y", exchange: "sim", time: 0, level: .unknown, confidence: 1, reason: "",
                          strategy: "s", strategyHash: "", trigger: "tick",
                          feed: Signal.Feed(quality: 0, lastEventAgeMilliseconds: nil, bookInSync: false), latencyMicroseconds: -3)
        var odd = full
        odd.id = 981
        odd.level = .rated(.strongSell)
        odd.reason = #"quote " backslash \ slash / tab\#t line\#nbreak ünïcødé €"#
        odd.strategy = #"my "strategy""#
        odd.modelVersion = nil
        odd.modelProbabilities = [0, 1e-7, 0.30000000000000004, 1e21, .leastNonzeroMagnitude]
        odd.indicators = ["bbUpper": 1.5, "RSI14": -0.0, "macd.hist": 2.5e-7, #"q"uote"#: 1e16, "é": 123_456_789.123, "Z": 42, "a_B": -1]
        odd.risk = Signal.Risk(size: 0, stopLoss: nil, takeProfit: 1e-5, vetoed: true, note: "vetoed: \"spread\"")
        odd.feed = Signal.Feed(quality: 0.123456789, lastEventAgeMilliseconds: 0, bookInSync: true)
        bare.indicators = [:]
        var noRisk = full
        noRisk.risk = nil
        noRisk.modelProbabilities = []
        return [full, bare, odd, noRisk]
    }

    @Test func handWrittenJSONIsWhatTheEncoderWrites() throws {
        for signal in Self.variants {
            #expect(try signal.json() == Self.encoded(signal))
            // And it reads back as the same signal.
            let decoded = try RecordCoding.makeDecoder().decode(Signal.self, from: Data(try signal.json().utf8))
            #expect(decoded == signal)
        }
    }

    @Test func aNumberThatIsNotFiniteIsRefusedNamingTheField() throws {
        var signal = Records.signal(time: 5)
        signal.indicators["rsi"] = .nan
        #expect(throws: Signal.NotFinite.self) { try signal.json() }
        do {
            _ = try signal.json()
        } catch {
            #expect(error.description.contains("indicators.rsi"))
        }
        var risky = Records.signal(time: 5)
        risky.risk?.stopLoss = .infinity
        #expect((try? risky.json()) == nil)
        #expect((try? Self.encoded(risky)) == nil)  // the encoder refuses it too
    }
}
