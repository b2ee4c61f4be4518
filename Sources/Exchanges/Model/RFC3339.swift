/// Reads RFC 3339 timestamps (`2026-08-09T21:05:48.228846629Z`, `2023-10-06T17:35:55+02:00`)
/// as epoch milliseconds, without Foundation: Coinbase and Kraken send one in every frame.
enum RFC3339 {
    /// Milliseconds since the Unix epoch (fractions below a millisecond are cut off), or nil
    /// when the text is not an RFC 3339 date-time.
    static func milliseconds(_ text: UnsafeRawBufferPointer) -> Int64? {
        let n = text.count
        guard n >= 20 else { return nil }
        func number(_ start: Int, _ length: Int) -> Int? {
            var value = 0
            for k in start..<(start + length) {
                let c = text[k]
                guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(c - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0, 4), text[4] == UInt8(ascii: "-"),
              let month = number(5, 2), text[7] == UInt8(ascii: "-"),
              let day = number(8, 2), text[10] | 0x20 == UInt8(ascii: "t"),
              let hour = number(11, 2), text[13] == UInt8(ascii: ":"),
              let minute = number(14, 2), text[16] == UInt8(ascii: ":"),
              let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60
        else { return nil }
        var i = 19
        var millis = 0
        if text[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < n, text[i] >= UInt8(ascii: "0"), text[i] <= UInt8(ascii: "9") {
                if digits < 3 { millis = millis * 10 + Int(text[i] - UInt8(ascii: "0")) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            if digits < 3 { for _ in digits..<3 { millis *= 10 } }
        }
        guard i < n else { return nil }
        var offsetMinutes = 0
        if text[i] | 0x20 == UInt8(ascii: "z") {
            i += 1
        } else if text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") {
            guard i + 6 == n, let h = number(i + 1, 2), text[i + 3] == UInt8(ascii: ":"), let m = number(i + 4, 2),
                  h < 24, m < 60 else { return nil }
            offsetMinutes = (h * 60 + m) * (text[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == n else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + (minute - offsetMinutes) * 60 + second)
        return seconds * 1000 + Int64(millis)
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
