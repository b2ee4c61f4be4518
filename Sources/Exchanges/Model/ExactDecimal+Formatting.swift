extension ExactDecimal: CustomStringConvertible {
    /// The exact value in plain decimal notation, without exponent or trailing zeros:
    /// `0.3521`, `672`, `-0.00001`. Valid JSON number text.
    public var description: String {
        var text = ""
        appendDescription(to: &text)
        return text
    }

    /// Appends ``description`` to `text`.
    func appendDescription(to text: inout String) {
        if mantissa < 0 { text.append("-") }
        let digits = String(mantissa.magnitude)
        let e = Int(exponent)
        if e >= 0 {
            text.append(digits)
            if mantissa != 0 { text.append(String(repeating: "0", count: e)) }
            return
        }
        let fractionLength = -e
        if digits.utf8.count > fractionLength {
            let split = digits.utf8.index(digits.utf8.startIndex, offsetBy: digits.utf8.count - fractionLength)
            text.append(contentsOf: digits[..<split])
            text.append(".")
            text.append(contentsOf: digits[split...])
        } else {
            text.append("0.")
            text.append(String(repeating: "0", count: fractionLength - digits.utf8.count))
            text.append(digits)
        }
    }

    /// Calls `body` with each ASCII digit of `self × 10^places`, the way Kraken's book checksum
    /// spells a value: formatted to `places` decimals, the point removed, leading zeros dropped.
    /// A value with more decimals than `places` is spelled with all of its digits (it cannot be
    /// shown at that precision, so the checksum will not match, which is the right outcome).
    func forEachScaledDigit(places: Int, _ body: (UInt8) -> Void) {
        let value = mantissa.magnitude
        var divisor: UInt64 = 1
        while divisor <= value / 10 { divisor *= 10 }
        repeat {
            body(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        } while divisor > 0
        let zeros = Int(exponent) + places
        if mantissa != 0, zeros > 0 {
            for _ in 0..<zeros { body(UInt8(ascii: "0")) }
        }
    }
}
