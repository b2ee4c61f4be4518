#if canImport(Glibc)
import Glibc
#endif
#if arch(x86_64)
import _Builtin_intrinsics.intel
#endif

/// The pieces every batch function is built from: input validation folded into the loop
/// (``FiniteCheck``: the loop neither branches on nor throws for a bad value; the search for
/// the first one runs only when the check failed), and output columns written once, in place.
///
/// A batch loop keeps its state in locals and reads its window straight from the input
/// array (the last `period` inputs are `input[i - period + 1 ... i]`), so it needs no ring
/// buffer. It performs the same floating-point operations, in the same order, as the
/// indicator's streaming `update`, so the two give bit-identical values.
enum BatchSupport {
    /// Entries per block where a batch splits its loop into several, the parts without a
    /// dependency between entries (which vectorise) and the recursive part, each writing what
    /// the next reads: small enough that a block's values are still in L1 cache for the next
    /// loop. (Worth it only where the independent part is heavy, as MFI's divisions: a split
    /// loop no longer overlaps its memory reads with the recursion.) Where the recursion comes
    /// first and the loop after it is short (square roots, a division), smaller blocks do
    /// better: the core runs one block's second loop while the next block's recursion waits
    /// on its chain, which a block of 256 is too long for (its instructions fill the core's
    /// window). Those loops pass their own size, measured (STDDEV and BBANDS 16, RSI and
    /// ATR/NATR 64, OBV 32).
    static let blockSize = 256

    /// Index of the first NaN or infinite value, nil when all are finite.
    static func firstNonFinite(_ x: UnsafeBufferPointer<Double>) -> Int? {
        x.firstIndex { !$0.isFinite }
    }

    /// Throws what the streaming `update(_ x:)` throws for the first non-finite value.
    static func requireFinite(_ x: UnsafeBufferPointer<Double>) throws(IndicatorError) {
        if let i = firstNonFinite(x) { throw .nonFiniteInput(field: "value", value: x[i]) }
    }

    /// Throws what the streaming update throws for the first candle with a non-finite field
    /// (fields named in the order high, low, close, volume, as the streaming checks).
    static func requireFinite(high: UnsafeBufferPointer<Double>?, low: UnsafeBufferPointer<Double>?,
                              close: UnsafeBufferPointer<Double>? = nil, volume: UnsafeBufferPointer<Double>? = nil) throws(IndicatorError)
    {
        var first = Int.max
        for column in [high, low, close, volume] {
            if let column, let i = firstNonFinite(column) { first = min(first, i) }
        }
        guard first != .max else { return }
        try RangesSupport.reportNonFinite(high: high?[first] ?? 0, low: low?[first] ?? 0,
                                          close: close?[first] ?? 0, volume: volume?[first] ?? 0)
    }

    /// The frame of a single-output batch over high, low and close: same-length check, then
    /// `body` fills the output column and returns the ``FiniteCheck`` of every input it read
    /// (it must read them all); if that saw a non-finite value, the first non-finite candle
    /// throws what streaming throws.
    @inline(__always)
    static func highLowClose(_ high: [Double], _ low: [Double], _ close: [Double],
                             _ body: (UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>, UnsafeBufferPointer<Double>,
                                      UnsafeMutableBufferPointer<Double>) -> FiniteCheck) throws(IndicatorError) -> [Double]
    {
        RangesSupport.requireSameCount(high.count, low.count, close.count)
        return try high.withUnsafeBufferPointer { (high) throws(IndicatorError) in
            try low.withUnsafeBufferPointer { (low) throws(IndicatorError) in
                try close.withUnsafeBufferPointer { (close) throws(IndicatorError) in
                    var check = FiniteCheck()
                    let result = column(close.count) { out in check = body(high, low, close, out) }
                    if check.failed { try requireFinite(high: high, low: low, close: close) }
                    return result
                }
            }
        }
    }

    /// Input validation folded into a batch loop, instead of a pass of its own over the
    /// inputs (which costs as much as a light indicator's arithmetic): the loop `add`s every
    /// input it reads (a few integer operations on the value's bits, which vectorise with the
    /// loop), and only when the check `failed` does the caller search for the first
    /// non-finite value, to throw what streaming throws. The loop's output is then discarded.
    struct FiniteCheck {
        /// Bit 63 is set once a value whose exponent is all ones (infinite or NaN) was added.
        private var bits: UInt64 = 0

        init() {}

        @inline(__always) mutating func add(_ x: Double) {
            // The exponent field plus one carries into bit 63 only when it is all ones.
            bits |= (x.bitPattern & 0x7FF0_0000_0000_0000) &+ 0x0010_0000_0000_0000
        }

        @inline(__always) mutating func add(_ a: Double, _ b: Double) {
            add(a)
            add(b)
        }

        @inline(__always) mutating func add(_ a: Double, _ b: Double, _ c: Double) {
            add(a, b)
            add(c)
        }

        @inline(__always) mutating func add(_ a: Double, _ b: Double, _ c: Double, _ d: Double) {
            add(a, b)
            add(c, d)
        }

        /// Adds a sum of differences of inputs (and of inputs), a cheaper check for loops that
        /// compute the differences anyway: `a - b` is non-finite when `a` or `b` is, and a sum
        /// stays non-finite once one term was. (It may also overflow on huge finite inputs:
        /// the check then fails, and the caller's search finds no bad value and keeps the
        /// output.)
        @inline(__always) mutating func add(sumOfDifferences sum: Double) { add(sum) }

        /// Folds in another check (of other inputs).
        @inline(__always) mutating func add(_ other: FiniteCheck) { bits |= other.bits }

        /// Folds in a check of four lanes (of other inputs).
        @inline(__always) mutating func add(_ other: FiniteCheck4) {
            bits |= other.lanes[0] | other.lanes[1] | other.lanes[2] | other.lanes[3]
        }

        var failed: Bool { bits >> 63 != 0 }
    }

    /// ``FiniteCheck`` for loops written four values per step (`SIMD4`): the same test on each
    /// lane, folded into a ``FiniteCheck`` once after the loop.
    struct FiniteCheck4 {
        fileprivate var lanes = SIMD4<UInt64>()

        init() {}

        @inline(__always) mutating func add(_ x: SIMD4<Double>) {
            lanes |= (unsafeBitCast(x, to: SIMD4<UInt64>.self) & 0x7FF0_0000_0000_0000) &+ 0x0010_0000_0000_0000
        }
    }

    /// Calls `body` with consecutive blocks of at most `size` indices covering `range`, in
    /// order (the last one may be shorter): the block loop of the batch functions that split
    /// their work into blocks (``blockSize``) or read their input a window at a time.
    @inline(__always)
    static func forEachBlock(of range: Range<Int>, size: Int = blockSize, _ body: (Range<Int>) -> Void) {
        var lower = range.lowerBound
        while lower < range.upperBound {
            let block = lower ..< min(lower &+ size, range.upperBound)
            body(block)
            lower = block.upperBound
        }
    }

    /// `x[i] = x[i].squareRoot() * factor` for every `i` in `range`, two square roots per
    /// instruction on x86-64 (SSE2's `sqrtpd`, correctly rounded as `squareRoot()`, which
    /// Swift compiles to a scalar square root with a libm fallback for negative inputs that
    /// keeps the loop from vectorising).
    @inline(__always) static func squareRoots(_ x: UnsafeMutableBufferPointer<Double>, _ range: Range<Int>, times factor: Double) {
        var i = range.lowerBound
        #if arch(x86_64)
        let factors = _mm_set1_pd(factor)
        while i &+ 2 <= range.upperBound {
            let p = x.baseAddress! + i
            _mm_storeu_pd(p, _mm_mul_pd(_mm_sqrt_pd(_mm_loadu_pd(p)), factors))
            i &+= 2
        }
        #endif
        while i < range.upperBound {
            x[i] = x[i].squareRoot() * factor
            i &+= 1
        }
    }

    /// BBANDS' bands from variances: for every `i` in `range`, with `v = upper[i]` (the
    /// variance, written there by the recursion) and the mean `middle[i]`, the width
    /// `(v != 0 ? v.squareRoot() : 0) * factor` (as the streaming update) gives `upper[i]`
    /// and `lower[i]`; two entries per instruction on x86-64 (`sqrtpd`, correctly rounded; a
    /// zero variance masks its root to +0, as the choice gives).
    @inline(__always) static func bands(upper: UnsafeMutableBufferPointer<Double>, middle: UnsafeMutableBufferPointer<Double>,
                                        lower: UnsafeMutableBufferPointer<Double>, _ range: Range<Int>, times factor: Double)
    {
        var i = range.lowerBound
        #if arch(x86_64)
        let factors = _mm_set1_pd(factor), zeros = _mm_setzero_pd()
        while i &+ 2 <= range.upperBound {
            let v = _mm_loadu_pd(upper.baseAddress! + i), m = _mm_loadu_pd(middle.baseAddress! + i)
            let width = _mm_mul_pd(_mm_and_pd(_mm_sqrt_pd(v), _mm_cmpneq_pd(v, zeros)), factors)
            _mm_storeu_pd(upper.baseAddress! + i, _mm_add_pd(m, width))
            _mm_storeu_pd(lower.baseAddress! + i, _mm_sub_pd(m, width))
            i &+= 2
        }
        #endif
        while i < range.upperBound {
            let v = upper[i], m = middle[i]
            let width = (v != 0.0 ? v.squareRoot() : 0.0) * factor
            upper[i] = m + width
            lower[i] = m - width
            i &+= 1
        }
    }

    /// An array of `count` doubles written once, by `body`, which must set every element
    /// (a batch writes NaN itself during the warm-up instead of filling the array first).
    @inline(__always)
    static func column(_ count: Int, _ body: (UnsafeMutableBufferPointer<Double>) -> Void) -> [Double] {
        [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            adviseHugePages(buffer)
            body(buffer)
            initialized = count
        }
    }

    /// Asks the kernel to back a large, not yet written column with transparent huge pages
    /// (as numpy does for arrays of 4 MB and more): writing a fresh 8 MB column otherwise
    /// takes some 2,000 page faults, which cost more than many indicators' arithmetic. Only
    /// the whole 2 MB pages inside the buffer are advised; smaller columns are left alone.
    /// A fresh column also has its pages mapped in one call (see below).
    static func adviseHugePages(_ buffer: UnsafeMutableBufferPointer<Double>) {
        #if os(Linux)
        let hugePage = 2 << 20
        guard buffer.count * MemoryLayout<Double>.stride >= 2 * hugePage, let base = buffer.baseAddress else { return }
        let start = (Int(bitPattern: base) + hugePage - 1) & ~(hugePage - 1)
        let end = (Int(bitPattern: base + buffer.count)) & ~(hugePage - 1)
        if end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) {
            _ = madvise(pointer, end - start, MADV_HUGEPAGE)
        }
        // Fresh memory (the allocator has just taken it from the system, as when it trimmed its
        // heap after the previous call): map all its pages in one call instead of one fault
        // per page as the loop first writes them. Skipped when the buffer's next-to-last page
        // is already mapped (memory the allocator reused), where that walk would cost more than
        // it saves (the last page holds the allocator's header of the next chunk, so it is
        // always mapped). Kernels before 5.14 reject the advice; the loop's faults then map
        // the pages.
        let page = 4096
        let first = Int(bitPattern: base) & ~(page - 1)
        let last = (Int(bitPattern: base + buffer.count) - 1) & ~(page - 1)
        var mapped: UInt8 = 0
        guard let probe = UnsafeMutableRawPointer(bitPattern: last - page), mincore(probe, page, &mapped) == 0, mapped & 1 == 0,
              let firstPage = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(firstPage, last + page - first, MADV_POPULATE_WRITE)
        #endif
    }

    /// Two columns, as `column`.
    @inline(__always)
    static func columns(_ count: Int, _ body: (UnsafeMutableBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> Void) -> ([Double], [Double]) {
        var second: [Double] = []
        let first = column(count) { a in second = column(count) { b in body(a, b) } }
        return (first, second)
    }

    /// Three columns, as `column`.
    @inline(__always)
    static func columns(_ count: Int, _ body: (UnsafeMutableBufferPointer<Double>, UnsafeMutableBufferPointer<Double>,
                                               UnsafeMutableBufferPointer<Double>) -> Void) -> ([Double], [Double], [Double])
    {
        var third: [Double] = []
        let (first, second) = columns(count) { a, b in third = column(count) { c in body(a, b, c) } }
        return (first, second, third)
    }

    /// Writes NaN to the first `min(count, out.count)` entries (the warm-up); returns that
    /// count, where the values start.
    @inline(__always) @discardableResult
    static func warmUp(_ out: UnsafeMutableBufferPointer<Double>, _ count: Int) -> Int {
        let end = min(count, out.count)
        var i = 0
        while i < end {
            out[i] = .nan
            i &+= 1
        }
        return end
    }

    /// `warmUp` on several columns.
    @inline(__always) @discardableResult
    static func warmUp(_ columns: UnsafeMutableBufferPointer<Double>..., count: Int) -> Int {
        var end = 0
        for column in columns { end = warmUp(column, count) }
        return end
    }
}
