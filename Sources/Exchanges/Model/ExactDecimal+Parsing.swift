extension ExactDecimal {
    /// Parses decimal text in JSON number syntax (`-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`),
    /// exactly. Returns nil for anything else, for more significant digits than an `Int64` holds,
    /// and for exponents beyond ±99.
    public init?(_ text: some StringProtocol) {
        var copy = String(text)
        let parsed = copy.withUTF8 { try? Self.parse(UnsafeRawBufferPointer($0)) }
        guard let parsed else { return nil }
        self = parsed
    }

    /// Why decimal text was refused.
    enum SyntaxError: Error, Equatable {
        case notANumber
        case tooManyDigits
        case exponentOutOfRange

        var reason: String {
            switch self {
            case .notANumber: "is not a decimal number"
            case .tooManyDigits: "has more significant digits than 64 bits hold"
            case .exponentOutOfRange: "has an exponent beyond ±\(ExactDecimal.exponentLimit)"
            }
        }
    }

    /// Parses the bytes of a decimal in JSON number syntax.
    static func parse(_ text: UnsafeRawBufferPointer) throws(SyntaxError) -> ExactDecimal {
        let n = text.count
        var i = 0
        let negative = n > 0 && text[0] == UInt8(ascii: "-")
        if negative { i = 1 }
        // Up to 19 digits cannot overflow a UInt64 (10^19 < 2^64), so they are gathered
        // without checks; longer texts go the careful way.
        var mantissa: UInt64 = 0
        var trailingZeros = 0
        @inline(__always) func digit(_ k: Int) -> UInt8? {
            guard k < n else { return nil }
            let d = text[k] &- UInt8(ascii: "0")
            return d < 10 ? d : nil
        }
        @inline(__always) func take(_ d: UInt8) {
            mantissa = mantissa &* 10 &+ UInt64(d)
            trailingZeros = d == 0 ? trailingZeros &+ 1 : 0
        }
        /// Takes digits from `i` on, eight at a time while there are eight.
        @inline(__always) func takeDigits(from start: Int) -> Int {
            var i = start
            while i &+ 8 <= n, let chunk = eightDigits(text, at: i) {
                mantissa = mantissa &* 100_000_000 &+ chunk.value
                trailingZeros = chunk.trailingZeros == 8 ? trailingZeros &+ 8 : chunk.trailingZeros
                i &+= 8
            }
            while let d = digit(i) {
                take(d)
                i &+= 1
            }
            return i
        }

        let integerStart = i
        guard let first = digit(i) else { throw .notANumber }
        i += 1
        if first != 0 {  // a leading "0" stands alone before the point
            take(first)
            i = takeDigits(from: i)
        }
        var digitCount = i - integerStart
        var exponent = 0
        if i < n, text[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            i = takeDigits(from: i)
            guard i > fractionStart else { throw .notANumber }
            exponent = fractionStart - i
            digitCount += i - fractionStart
        }
        let digitsEnd = i
        if i < n, text[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var exponentNegative = false
            if i < n, text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") {
                exponentNegative = text[i] == UInt8(ascii: "-")
                i += 1
            }
            guard digit(i) != nil else { throw .notANumber }
            var value = 0
            while let d = digit(i) {
                value = Swift.min(value * 10 + Int(d), 10_000)
                i += 1
            }
            exponent += exponentNegative ? -value : value
        }
        guard i == n else { throw .notANumber }
        if digitCount > 19 {
            return try parseManyDigits(text[integerStart..<digitsEnd], negative: negative, exponent: exponent)
        }
        guard mantissa != 0 else { return .zero }
        if trailingZeros > 0 {
            mantissa /= UInt64(integerPower(trailingZeros))
            exponent += trailingZeros
        }
        guard mantissa <= UInt64(Int64.max) else { throw .tooManyDigits }
        guard abs(exponent) <= exponentLimit else { throw .exponentOutOfRange }
        let signed = Int64(mantissa)
        return ExactDecimal(normalizedMantissa: negative ? -signed : signed, exponent: Int16(exponent))
    }

    /// The eight ASCII digits at `offset` as a number, and how many of them are trailing
    /// zeros; nil unless all eight are digits. Reads them as one little-endian word and folds
    /// pairs, quads and octets with three multiplications (Lemire's method).
    @inline(__always)
    private static func eightDigits(_ text: UnsafeRawBufferPointer, at offset: Int) -> (value: UInt64, trailingZeros: Int)? {
        let word = UInt64(littleEndian: text.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        let high: UInt64 = 0xF0F0_F0F0_F0F0_F0F0
        guard (word & high) | (((word &+ 0x0606_0606_0606_0606) & high) >> 4) == 0x3333_3333_3333_3333 else { return nil }
        let digits = word &- 0x3030_3030_3030_3030
        // The last character is the highest byte: zero bytes at the top are trailing zeros.
        let trailingZeros = digits == 0 ? 8 : digits.leadingZeroBitCount >> 3
        var x = digits &* 10 &+ (digits >> 8)
        x = ((x & 0x0000_00FF_0000_00FF) &* 0x000F_4240_0000_0064
            &+ ((x >> 16) & 0x0000_00FF_0000_00FF) &* 0x0000_2710_0000_0001) >> 32
        return (x, trailingZeros)
    }

    /// The slow path for more than 19 significant digits: `digits` is the integer and
    /// fraction text (grammar already checked), `exponent` the power of ten that applies to
    /// the digits read as one integer. Trailing zeros move into the exponent, so
    /// `"100000000000000000000"` still fits.
    private static func parseManyDigits(_ digits: Slice<UnsafeRawBufferPointer>, negative: Bool,
                                        exponent: Int) throws(SyntaxError) -> ExactDecimal {
        var mantissa: Int64 = 0
        var trailingZeros = 0
        for c in digits where c != UInt8(ascii: ".") {
            if c == UInt8(ascii: "0") {
                if mantissa != 0 { trailingZeros += 1 }
                continue
            }
            guard trailingZeros < 18 else { throw .tooManyDigits }
            let (shifted, o1) = mantissa.multipliedReportingOverflow(by: integerPower(trailingZeros + 1))
            let (sum, o2) = shifted.addingReportingOverflow(Int64(c - UInt8(ascii: "0")))
            guard !o1, !o2 else { throw .tooManyDigits }
            mantissa = sum
            trailingZeros = 0
        }
        let normalizedExponent = exponent + trailingZeros
        guard abs(normalizedExponent) <= exponentLimit else { throw .exponentOutOfRange }
        return ExactDecimal(normalizedMantissa: negative ? -mantissa : mantissa, exponent: Int16(normalizedExponent))
    }
}
