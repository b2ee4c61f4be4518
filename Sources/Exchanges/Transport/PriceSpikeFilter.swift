/// Rejects trade and ticker prices too far from the recent reference price of their symbol:
/// a bad print or a corrupted frame must not reach indicators. The reference is the last
/// accepted price. A real jump is not rejected forever: after `confirmations` consecutive
/// rejected prices that agree with each other (within the same band), the newest becomes the
/// reference and is accepted.
public struct PriceSpikeFilter: Sendable, Equatable {
    /// Tuning, every field with a default.
    public struct Configuration: Sendable, Equatable {
        /// The largest accepted relative distance from the reference (0.1 = 10 %).
        public var maximumDeviation: Double
        /// Consecutive agreeing outliers that establish a new reference.
        public var confirmations: Int

        public init(maximumDeviation: Double = 0.10, confirmations: Int = 3) {
            self.maximumDeviation = maximumDeviation
            self.confirmations = confirmations
        }
    }

    public let configuration: Configuration
    /// The last accepted price.
    public private(set) var reference: Double?
    private var outlier: Double?
    private var outlierCount = 0

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Whether `price` is accepted; updates the reference.
    public mutating func accept(_ price: Double) -> Bool {
        guard price.isFinite, price > 0 else { return false }
        guard let reference, isSpike(price, from: reference) else {
            reference = price
            outlier = nil
            outlierCount = 0
            return true
        }
        if let outlier, !isSpike(price, from: outlier) {
            outlierCount += 1
        } else {
            outlierCount = 1
        }
        outlier = price
        if outlierCount >= max(configuration.confirmations, 1) {
            self.reference = price
            self.outlier = nil
            outlierCount = 0
            return true
        }
        return false
    }

    private func isSpike(_ price: Double, from reference: Double) -> Bool {
        abs(price - reference) > configuration.maximumDeviation * reference
    }
}
