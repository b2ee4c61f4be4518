import Testing
@testable import Exchanges

@Suite struct ExactDecimalTests {
    @Test func normalizesTrailingZeros() {
        #expect(dec("0.35210000") == dec("0.3521"))
        #expect(dec("0.35210000").hashValue == dec("0.3521").hashValue)
        #expect(dec("0.35210000").mantissa == 3521)
        #expect(dec("0.35210000").exponent == -4)
        #expect(dec("672.00000000") == dec("672"))
        #expect(dec("120").mantissa == 12)
        #expect(dec("120").exponent == 1)
        #expect(dec("0.00000000") == .zero)
        #expect(dec("-0") == .zero)
        #expect(dec("100000000000000000000000") == ExactDecimal(mantissa: 1, exponent: 23))
    }

    @Test(arguments: [
        ("0.3521", "0.3521"), ("672.00000000", "672"), ("0.00001", "0.00001"), ("1e-5", "0.00001"),
        ("1.5E3", "1500"), ("-12.50", "-12.5"), ("0", "0"), ("45283.5", "45283.5"), ("0.0000001117", "0.0000001117"),
        ("840180761.51358100", "840180761.513581"),
    ])
    func printsExactText(_ input: String, _ expected: String) {
        #expect(dec(input).description == expected)
    }

    @Test(arguments: ["", "-", "abc", "1.", ".5", "01", "1e", "1e+", "+1", "1.2.3", "0x10", " 1", "1 ", "NaN", "1,5",
                      "12345678901234567891", "9223372036854775808", "1e100"])
    func refusesNonNumbers(_ text: String) {
        #expect(ExactDecimal(text) == nil)
    }

    @Test func acceptsSignificantDigitsThatFitSixtyFourBits() {
        #expect(dec("9223372036854775807").mantissa == .max)
        #expect(dec("-9223372036854775807").mantissa == -.max)
        #expect(dec("123456789012345678").mantissa == 123_456_789_012_345_678)
        #expect(dec("1234567890.12345678000").mantissa == 123_456_789_012_345_678)
    }

    @Test func comparesAcrossExponents() {
        let ordered = ["-1000", "-2.5", "-0.001", "0", "0.0001", "0.3521", "0.3529", "1", "1.000001", "10", "99.99", "1e20"]
        for (i, a) in ordered.enumerated() {
            for (j, b) in ordered.enumerated() {
                #expect((dec(a) < dec(b)) == (i < j), "\(a) < \(b)")
            }
        }
        // Scaling that would overflow an Int64 still compares correctly.
        #expect(ExactDecimal(mantissa: 5, exponent: 30) > dec("922337203685477580"))
        #expect(ExactDecimal(mantissa: -5, exponent: 30) < dec("-922337203685477580"))
    }

    @Test func convertsToDouble() {
        #expect(dec("0.3521").doubleValue == 0.3521)
        #expect(dec("1919.44").doubleValue == 1919.44)
        #expect(dec("-12.5").doubleValue == -12.5)
        #expect(dec("1e3").doubleValue == 1000)
        #expect(dec("45283.5").doubleValue == 45283.5)
    }

    @Test(arguments: [
        ("0.566", 4, "5660"), ("18097.1547", 8, "1809715470000"), ("0.10000000", 8, "10000000"),
        ("45283.5", 1, "452835"), ("45281.0", 1, "452810"), ("0.001", 8, "100000"), ("5", 0, "5"),
    ])
    func spellsScaledDigitsForChecksums(_ value: String, _ places: Int, _ expected: String) {
        var digits: [UInt8] = []
        dec(value).forEachScaledDigit(places: places) { digits.append($0) }
        #expect(String(decoding: digits, as: UTF8.self) == expected)
    }
}
