/// An exact decimal number, `mantissa × 10^exponent`, for prices and sizes.
///
/// Parsed once from the exchange's decimal text (see `init?(_:)`), never through `Double`, so a
/// book level keyed by price is found again however the exchange spells it: the value is
/// normalized (trailing zeros moved into the exponent, zero is `0 × 10^0`), so `"0.35210000"`
/// and `"0.3521"` are equal and hash equal. Up to 18 significant digits (19 while the
/// mantissa fits an `Int64`).
public struct ExactDecimal: Sendable, Hashable {
    /// The significant digits, without trailing zeros (0 for zero).
    public let mantissa: Int64
    /// The power of ten the mantissa is scaled by.
    public let exponent: Int16

    /// The largest exponent magnitude accepted when parsing.
    static let exponentLimit = 99

    public static let zero = ExactDecimal(normalizedMantissa: 0, exponent: 0)

    /// `mantissa × 10^exponent`, normalized.
    public init(mantissa: Int64, exponent: Int16 = 0) {
        guard mantissa != 0 else {
            self = .zero
            return
        }
        var m = mantissa
        var e = exponent
        while m % 10 == 0, e < Int16.max {
            m /= 10
            e += 1
        }
        self.init(normalizedMantissa: m, exponent: e)
    }

    init(normalizedMantissa: Int64, exponent: Int16) {
        self.mantissa = normalizedMantissa
        self.exponent = exponent
    }

    public var isZero: Bool { mantissa == 0 }

    /// The nearest `Double`, for indicators and display. Exact decimal work (book keys,
    /// checksums) must use the decimal itself.
    public var doubleValue: Double {
        let m = Double(mantissa)
        let e = Int(exponent)
        if e == 0 { return m }
        // Powers of ten up to 10^22 are exact doubles, so one multiplication or division
        // rounds correctly (for mantissas below 2^53).
        if e > 0 { return e <= 22 ? m * Self.doublePower(e) : m * Self.doublePower(22) * Self.doublePower(e - 22) }
        return -e <= 22 ? m / Self.doublePower(-e) : m / Self.doublePower(22) / Self.doublePower(-e - 22)
    }

    /// 10^e for e in 0...22 exactly, larger e approximately.
    private static func doublePower(_ e: Int) -> Double {
        var result = 1.0
        var base = 10.0
        var k = e
        while k > 0 {
            if k & 1 == 1 { result *= base }
            base *= base
            k >>= 1
        }
        return result
    }

    /// 10^e for e in 0...18, the powers that fit an `Int64` (a literal table, no lazy global).
    @inline(__always)
    static func integerPower(_ e: Int) -> Int64 {
        switch e {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1000
        case 4: 10000
        case 5: 100_000
        case 6: 1_000_000
        case 7: 10_000_000
        case 8: 100_000_000
        case 9: 1_000_000_000
        case 10: 10_000_000_000
        case 11: 100_000_000_000
        case 12: 1_000_000_000_000
        case 13: 10_000_000_000_000
        case 14: 100_000_000_000_000
        case 15: 1_000_000_000_000_000
        case 16: 10_000_000_000_000_000
        case 17: 100_000_000_000_000_000
        default: 1_000_000_000_000_000_000
        }
    }
}

extension ExactDecimal: Comparable {
    public static func < (lhs: Self, rhs: Self) -> Bool {
        if lhs.exponent == rhs.exponent || lhs.mantissa == 0 || rhs.mantissa == 0
            || (lhs.mantissa < 0) != (rhs.mantissa < 0) {
            return lhs.mantissa < rhs.mantissa
        }
        // Same sign, both non-zero: scale the one with the larger exponent down to the other's.
        if lhs.exponent > rhs.exponent {
            guard let scaled = scale(lhs.mantissa, by: Int(lhs.exponent) - Int(rhs.exponent)) else {
                return lhs.mantissa < 0  // |lhs| exceeds every Int64, so exceeds |rhs|
            }
            return scaled < rhs.mantissa
        }
        guard let scaled = scale(rhs.mantissa, by: Int(rhs.exponent) - Int(lhs.exponent)) else {
            return rhs.mantissa > 0
        }
        return lhs.mantissa < scaled
    }

    /// `mantissa × 10^places`, or nil when that leaves the `Int64` range.
    @inline(__always)
    private static func scale(_ mantissa: Int64, by places: Int) -> Int64? {
        guard places <= 18 else { return nil }
        let (product, overflow) = mantissa.multipliedReportingOverflow(by: integerPower(places))
        return overflow ? nil : product
    }
}
