/// Counts a strategy's faults on one symbol and decides when to park it: `threshold` faults
/// within `window` milliseconds (event time) park it until a new version is loaded.
struct FaultTracker {
    let threshold: Int
    let window: Int64
    private var times: [Int64] = []
    private(set) var isParked = false

    init(threshold: Int, window: Int64) {
        self.threshold = max(1, threshold)
        self.window = window
    }

    /// Records a fault at `now`; returns true when this fault parks the strategy.
    mutating func record(at now: Int64) -> Bool {
        times.append(now)
        times.removeAll { now - $0 >= window }
        if times.count >= threshold, !isParked {
            isParked = true
            return true
        }
        return false
    }

    /// Lets a parked strategy run again.
    mutating func reset() {
        times.removeAll()
        isParked = false
    }
}
