import Exchanges

/// Where a started symbol's events go: its shard, the slot of its processor there and the
/// slot's generation (a slot freed by a stop and given to another symbol gets a new one).
struct SymbolRoute: Sendable {
    let shard: Int
    let slot: UInt32
    let generation: UInt32
    let exchange: Exchange
}

/// The router's table of started symbols and each shard's processor slots. Guarded by the
/// router's lock: read by every event, changed by start and stop.
struct RoutingTable: Sendable {
    private(set) var routes: [CanonicalSymbol: SymbolRoute] = [:]
    /// Per shard: the generation of each slot (bumped when the slot is given out again), the
    /// free slots, and how many symbols run there.
    private var generations: [[UInt32]]
    private var free: [[UInt32]]
    private var running: [Int]

    init(shards: Int) {
        generations = Array(repeating: [], count: shards)
        free = Array(repeating: [], count: shards)
        running = Array(repeating: 0, count: shards)
    }

    /// Gives `symbol` a slot on the shard running the fewest symbols; nil when it is already
    /// running. Among equally loaded shards the symbol's name picks one (a stable hash), so the
    /// order symbols are started in does not decide where they go (symbols started in pairs of
    /// a busy one and a quiet one would otherwise all end up busy ones on one shard).
    mutating func assign(_ symbol: CanonicalSymbol, exchange: Exchange) -> SymbolRoute? {
        guard routes[symbol] == nil else { return nil }
        let fewest = running.min() ?? 0
        let candidates = running.indices.filter { running[$0] == fewest }
        let shard = candidates[Int(Self.stableHash(symbol) % UInt64(candidates.count))]
        let slot: UInt32
        if let reused = free[shard].popLast() {
            slot = reused
            generations[shard][Int(slot)] &+= 1
        } else {
            slot = UInt32(generations[shard].count)
            generations[shard].append(0)
        }
        running[shard] += 1
        let route = SymbolRoute(shard: shard, slot: slot, generation: generations[shard][Int(slot)], exchange: exchange)
        routes[symbol] = route
        return route
    }

    /// FNV-1a of the symbol's name with a final mix (FNV's low bits alone follow the last
    /// character's): the same in every process, unlike `Hasher`.
    static func stableHash(_ symbol: CanonicalSymbol) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in symbol.description.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }

    /// Forgets `symbol`'s route and frees its slot; nil when it was not running.
    mutating func release(_ symbol: CanonicalSymbol) -> SymbolRoute? {
        guard let route = routes.removeValue(forKey: symbol) else { return nil }
        free[route.shard].append(route.slot)
        running[route.shard] -= 1
        return route
    }
}
