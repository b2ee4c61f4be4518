/// Edge detection and cooldown for one strategy's alerts on one symbol: an alert fires when
/// its condition goes from false to true and at least its cooldown has passed since it last
/// fired. An edge inside the cooldown is swallowed (the condition must fall and rise again).
struct AlertGate {
    private var wasOn: [Bool]
    private var lastFired: [Int64?]
    private let cooldowns: [Int64]

    /// - Parameter cooldowns: per alert, milliseconds.
    init(cooldowns: [Int64]) {
        self.cooldowns = cooldowns
        wasOn = Array(repeating: false, count: cooldowns.count)
        lastFired = Array(repeating: nil, count: cooldowns.count)
    }

    var count: Int { cooldowns.count }

    /// Some condition was true at the last update: a zero mask must still be fed (falling edges).
    private(set) var isArmed = false

    /// Feeds the conditions (bit i = alert i is true) at `now`; calls `fire` for each alert that fires.
    @inline(__always)
    mutating func update(mask: UInt64, now: Int64, fire: (Int) -> Void) {
        for index in 0..<cooldowns.count {
            let on = mask & (1 << UInt64(index)) != 0
            defer { wasOn[index] = on }
            guard on, !wasOn[index] else { continue }
            if let last = lastFired[index], now - last < cooldowns[index] { continue }
            lastFired[index] = now
            fire(index)
        }
        isArmed = mask != 0
    }

    /// Carries edge and cooldown state over to a new version with the same alert names.
    mutating func inherit(from old: AlertGate, names: [String], oldNames: [String]) {
        for (index, name) in names.enumerated() {
            guard let oldIndex = oldNames.firstIndex(of: name) else { continue }
            wasOn[index] = old.wasOn[oldIndex]
            lastFired[index] = old.lastFired[oldIndex]
        }
        isArmed = wasOn.contains(true)
    }
}
