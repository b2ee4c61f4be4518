import Foundation
import Indicators
import Testing

/// The named values a signal carries: order-free equality and hashing, editing by name, and
/// the same JSON as a dictionary.
@Suite struct IndicatorReadingsTests {
    @Test func equalityAndHashIgnoreTheOrder() {
        let declared = IndicatorReadings(names: ["rsi", "macd.hist", "bb.upper"], values: [28.5, -0.25, 101])
        let sorted = IndicatorReadings(["bb.upper": 101, "macd.hist": -0.25, "rsi": 28.5])
        #expect(sorted.names == ["bb.upper", "macd.hist", "rsi"])
        #expect(declared == sorted)
        #expect(declared.hashValue == sorted.hashValue)
        #expect(Set([declared, sorted]).count == 1)
        #expect(declared != IndicatorReadings(names: ["rsi", "macd.hist", "bb.upper"], values: [28.5, -0.25, 100]))
        #expect(declared != IndicatorReadings(names: ["rsi", "macd.hist", "bb.lower"], values: [28.5, -0.25, 101]))
        #expect(declared != IndicatorReadings(names: ["rsi", "macd.hist"], values: [28.5, -0.25]))
        #expect(IndicatorReadings() == [:])
    }

    @Test func valuesAreReadSetAddedAndRemovedByName() {
        var readings: IndicatorReadings = ["rsi": 40, "atr": 2]
        #expect(readings.names == ["rsi", "atr"] && readings.count == 2)
        #expect(readings["rsi"] == 40 && readings["ema"] == nil)
        readings["rsi"] = 41
        readings["ema"] = 100
        readings["atr"] = nil
        readings["missing"] = nil
        #expect(readings.names == ["rsi", "ema"] && readings.values == [41, 100])
        #expect(readings.map(\.name) == ["rsi", "ema"] && readings.map(\.value) == [41, 100])
        #expect(readings.dictionary == ["rsi": 41, "ema": 100])
    }

    @Test func encodesAndDecodesAsTheDictionaryDoes() throws {
        let readings = IndicatorReadings(names: ["rsi", "macd.hist"], values: [28.5, -0.25])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = try encoder.encode(readings)
        #expect(json == (try encoder.encode(["rsi": 28.5, "macd.hist": -0.25])))
        #expect(String(decoding: json, as: UTF8.self) == #"{"macd.hist":-0.25,"rsi":28.5}"#)
        #expect(try JSONDecoder().decode(IndicatorReadings.self, from: json) == readings)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(IndicatorReadings.self, from: Data(#"{"rsi":"x"}"#.utf8)) }
    }
}
