import Indicators
import Testing

// Value semantics of the window storage: the indicators keep their windows in shared,
// copy-on-write buffers, so a copy taken mid-stream and the original must evolve
// independently, exactly as if each had been fed its own series from the start.

/// A deterministic wiggly series (no randomness, so failures reproduce).
private func series(_ n: Int, seed: Double) -> [Double] {
    (0..<n).map { i in
        let x = Double(i)
        return 100 + 10 * ((x * 0.37 + seed).truncatingRemainder(dividingBy: 7)) - 3 * ((x * 1.91 + seed * 2).truncatingRemainder(dividingBy: 5))
    }
}

@Test func ringBufferCopyIsIndependent() {
    var a = RingBuffer(capacity: 4)
    for x in [1.0, 2, 3] { a.push(x) }
    var b = a
    #expect(a.push(10) == nil)
    #expect(b.push(20) == nil)
    #expect(a[age: 0] == 10)
    #expect(b[age: 0] == 20)
    #expect(a.push(11) == 1)
    #expect(b.push(21) == 1)
    var c = b
    #expect(c.push(30) == 2)
    #expect(b[age: 0] == 21 && b[age: 3] == 2)
    #expect(c[age: 0] == 30 && c[age: 3] == 3)
    #expect((0..<4).map { a[age: $0] } == [11, 10, 3, 2])
    #expect(a.count == 4 && b.count == 4 && c.count == 4)
    #expect(a.isFull && a.capacity == 4)
}

@Test func ringBufferWrapsAndEvictsInOrder() {
    var r = RingBuffer(capacity: 3)
    var evicted: [Double] = []
    for x in 1...10 { if let e = r.push(Double(x)) { evicted.append(e) } }
    #expect(evicted == (1...7).map(Double.init))
    #expect((0..<3).map { r[age: $0] } == [10, 9, 8])
}

/// Feeds `head` to one indicator, copies it, feeds each copy a different tail, and checks
/// each against an indicator fed its whole series from scratch.
private func checkCopies<I>(_ make: () throws -> I, _ feed: (inout I, Double) throws -> [Double]?) throws {
    let head = series(60, seed: 0.5), tailA = series(80, seed: 1.5), tailB = series(80, seed: 4.25)
    var original = try make()
    for x in head { _ = try feed(&original, x) }
    var copy = original
    var freshA = try make(), freshB = try make()
    for x in head { _ = try feed(&freshA, x); _ = try feed(&freshB, x) }
    for (x, y) in zip(tailA, tailB) {
        let a = try feed(&original, x), fa = try feed(&freshA, x)
        let b = try feed(&copy, y), fb = try feed(&freshB, y)
        #expect(a == fa)
        #expect(b == fb)
    }
}

@Test func indicatorCopiesUpdateIndependently() throws {
    func hlc(_ x: Double) -> (Double, Double, Double) { (x + 1.5, x - 1.25, x + 0.25) }
    try checkCopies({ try SMA(period: 5) }) { i, x in try i.update(x).map { [$0] } }
    try checkCopies({ try WMA(period: 6) }) { i, x in try i.update(x).map { [$0] } }
    try checkCopies({ try STDDEV(period: 7) }) { i, x in try i.update(x).map { [$0] } }
    try checkCopies({ try BBANDS(period: 7) }) { i, x in try i.update(x).map { [$0.upper, $0.middle, $0.lower] } }
    try checkCopies({ try STOCHRSI() }) { i, x in try i.update(x).map { [$0.k, $0.d] } }
    try checkCopies({ try Stochastic() }) { i, x in
        let (h, l, c) = hlc(x)
        return try i.update(high: h, low: l, close: c).map { [$0.k, $0.d] }
    }
    try checkCopies({ try WilliamsR() }) { i, x in
        let (h, l, c) = hlc(x)
        return try i.update(high: h, low: l, close: c).map { [$0] }
    }
    try checkCopies({ try CCI() }) { i, x in
        let (h, l, c) = hlc(x)
        return try i.update(high: h, low: l, close: c).map { [$0] }
    }
    try checkCopies({ try Aroon() }) { i, x in
        let (h, l, _) = hlc(x)
        return try i.update(high: h, low: l).map { [$0.down, $0.up] }
    }
    try checkCopies({ try Donchian(period: 9) }) { i, x in
        let (h, l, _) = hlc(x)
        return try i.update(high: h, low: l).map { [$0.upper, $0.middle, $0.lower] }
    }
    try checkCopies({ try MFI() }) { i, x in
        let (h, l, c) = hlc(x)
        return try i.update(high: h, low: l, close: c, volume: 1000 + x).map { [$0] }
    }
}
