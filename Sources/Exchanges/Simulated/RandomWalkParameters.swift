/// The shape of a seeded random-walk market. Every field has a default.
public struct RandomWalkParameters: Sendable, Equatable {
    /// The seed; each symbol mixes in a stable hash of its name, so symbols differ but every
    /// run with the same seed is identical.
    public var seed: UInt64
    /// Epoch milliseconds of the first event (nil: the wall clock when the symbol starts).
    public var startTime: Int64?
    /// The first mid price.
    public var startPrice: Double
    /// The price step: prices are whole multiples of 10^tickExponent.
    public var tickExponent: Int16
    /// Milliseconds between two steps of the walk.
    public var stepMilliseconds: Int64
    /// Relative standard deviation of the mid per step.
    public var volatility: Double
    /// Levels kept on each side of the book.
    public var depth: Int
    /// Chance of a trade at each step.
    public var tradeProbability: Double

    public init(seed: UInt64 = 42, startTime: Int64? = nil, startPrice: Double = 100, tickExponent: Int16 = -2,
                stepMilliseconds: Int64 = 100, volatility: Double = 0.0005, depth: Int = 10, tradeProbability: Double = 0.5) {
        self.seed = seed
        self.startTime = startTime
        self.startPrice = startPrice
        self.tickExponent = tickExponent
        self.stepMilliseconds = stepMilliseconds
        self.volatility = volatility
        self.depth = depth
        self.tradeProbability = tradeProbability
    }
}
