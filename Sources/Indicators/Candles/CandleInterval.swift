/// The length of a candle, e.g. `1m`, `5m`, `15m`, `1h`, `1d`.
///
/// Candles open at whole multiples of the interval since the Unix epoch (the way Binance aligns
/// its klines): a `5m` candle opens at :00, :05, :10, ... UTC, a `1d` candle at midnight UTC.
public struct CandleInterval: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The length in milliseconds (positive).
    public let milliseconds: Int64

    /// An interval of `milliseconds` (must be positive).
    public init(milliseconds: Int64) {
        precondition(milliseconds > 0, "a candle interval must be positive")
        self.milliseconds = milliseconds
    }

    public static let oneMinute = CandleInterval(milliseconds: 60_000)
    public static let fiveMinutes = CandleInterval(milliseconds: 300_000)
    public static let fifteenMinutes = CandleInterval(milliseconds: 900_000)
    public static let oneHour = CandleInterval(milliseconds: 3_600_000)

    /// The host's default set: 1m, 5m, 15m, 1h.
    public static let defaults: [CandleInterval] = [.oneMinute, .fiveMinutes, .fifteenMinutes, .oneHour]

    private static let units: [(suffix: Character, milliseconds: Int64)] = [
        ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000), ("w", 604_800_000),
    ]

    /// Parses `<count><unit>` with unit `s`, `m`, `h`, `d` or `w` (`1m`, `15m`, `4h`, `1d`).
    /// Returns nil for anything else, a zero count, or a length that overflows.
    public init?(_ text: String) {
        guard let unit = text.last, let scale = Self.units.first(where: { $0.suffix == unit })?.milliseconds,
              let count = Int64(text.dropLast()), count > 0
        else { return nil }
        let (length, overflow) = count.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        self.init(milliseconds: length)
    }

    /// The shortest name: `1m`, `90s`, `4h`, `1d`, `2w`.
    public var description: String {
        for (suffix, scale) in Self.units.reversed() where milliseconds % scale == 0 {
            return "\(milliseconds / scale)\(suffix)"
        }
        return "\(milliseconds)ms"
    }

    /// The open time of the candle holding `time` (both epoch ms): `time` rounded down to a
    /// whole multiple of the interval, also for times before 1970.
    @inline(__always)
    public func openTime(containing time: Int64) -> Int64 {
        let r = time % milliseconds
        return r >= 0 ? time - r : time - r - milliseconds
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.milliseconds < rhs.milliseconds }
}
