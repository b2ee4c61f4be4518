/// How fast the simulated exchange plays its data, measured against its own event times.
public enum SimulatedSpeed: Sendable, Equatable, CustomStringConvertible {
    /// One simulated second per wall-clock second.
    case realTime
    /// `factor` simulated seconds per wall-clock second (`multiplied(60)`: an hour a minute).
    case multiplied(Double)
    /// No pauses: events go out as fast as the sink takes them.
    case asFastAsPossible

    /// Parses `realtime`, `max` (or `fast`), or a factor such as `10`, `10x`, `x10`.
    public init?(_ text: String) {
        let lower = text.lowercased()
        switch lower {
        case "realtime", "real-time", "1", "1x", "x1": self = .realTime
        case "max", "fast", "asap": self = .asFastAsPossible
        default:
            let digits = lower.hasPrefix("x") ? String(lower.dropFirst()) : lower.hasSuffix("x") ? String(lower.dropLast()) : lower
            guard let factor = Double(digits), factor.isFinite, factor > 0 else { return nil }
            self = .multiplied(factor)
        }
    }

    /// Simulated milliseconds per wall-clock millisecond, nil for no pacing.
    var factor: Double? {
        switch self {
        case .realTime: 1
        case .multiplied(let factor): factor
        case .asFastAsPossible: nil
        }
    }

    public var description: String {
        switch self {
        case .realTime: "realtime"
        case .multiplied(let factor): "\(factor)x"
        case .asFastAsPossible: "max"
        }
    }
}
