/// The resources one ``LuaState`` may use: how much work a single call may do and how much
/// memory the whole state may hold. Both are enforced in C (a count hook and a custom
/// allocator), so a runaway script is stopped with a ``LuaError`` instead of hanging or
/// exhausting the host.
public struct LuaLimits: Sendable, Equatable {
    /// Lua VM instructions one entry from the host (a `load`, a `call`, a global read or write
    /// that runs finalizers) may execute before it is stopped with
    /// ``LuaError/Code/instructionBudgetExceeded``; `nil` means unlimited.
    ///
    /// Time spent inside C library functions (`string.rep`, `table.sort`, pattern matching)
    /// is not counted; those are bounded by the memory limit instead.
    public var instructionBudget: Int?

    /// Bytes the state may hold in total (code, tables, strings, stacks). An allocation that
    /// would pass it fails with Lua's "not enough memory" error
    /// (``LuaError/Code/memoryLimitExceeded``); the state stays usable.
    public var memoryLimit: Int

    /// Instructions between two budget checks. The budget is enforced to within this many
    /// instructions; smaller values cost more hook calls.
    public var checkInterval: Int

    /// - Parameters:
    ///   - instructionBudget: per-call instruction budget (values below 1 are raised to 1); `nil` for none.
    ///   - memoryLimit: bytes for the whole state (negative values count as 0).
    ///   - checkInterval: instructions between budget checks (at least 1).
    public init(instructionBudget: Int? = 10_000_000, memoryLimit: Int = 64 << 20, checkInterval: Int = 1_000) {
        self.instructionBudget = instructionBudget.map { max(1, $0) }
        self.memoryLimit = max(0, memoryLimit)
        self.checkInterval = max(1, checkInterval)
    }

    /// 10 million instructions per call, 64 MiB per state, a check every 1000 instructions.
    public static let `default` = LuaLimits()
}
