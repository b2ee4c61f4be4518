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

    /// When the count hook that enforces ``instructionBudget`` starts counting a call.
    public var metering: Metering

    /// When the instruction budget's count hook is armed.
    ///
    /// While a count hook is set, Lua 5.4 sends every instruction through its hook path, whatever
    /// the check interval: that is about 40% of a short call. Both modes stop the same runaway
    /// scripts with the same ``LuaError/Code/instructionBudgetExceeded`` error (endless loops,
    /// endless recursion, kills swallowed by `pcall`, `xpcall` handlers or coroutines); they
    /// differ in which instructions the budget counts.
    public enum Metering: Sendable, Equatable {
        /// From the first instruction of every call: the budget is exact (to ``checkInterval``)
        /// and every instruction pays the hook.
        case everyInstruction
        /// Calls start without the hook. A watchdog thread arms it for a call it finds still
        /// running after its time slice (``LuaLimits/timeSlice``, 1 to 2 ms; longer when the
        /// machine is so loaded that the watchdog thread does not get to run), and the budget
        /// counts from then on. Calls shorter than the slice run at full speed and are not
        /// counted (``LuaState/lastInstructionCount`` is 0); a runaway call is stopped after its
        /// slice plus ``instructionBudget`` instructions. A call that grows the state by more
        /// than min(1 MiB, ``memoryLimit`` / 8) is metered from then on without waiting for the
        /// slice (deep recursion meets the budget, not the memory cap). If the watchdog cannot start, states
        /// meter every instruction instead.
        case afterTimeSlice
    }

    /// How long a call runs unmetered under ``Metering/afterTimeSlice`` before the watchdog
    /// arms its hook: it scans every `timeSlice` and arms a call seen running at two scans in
    /// a row (20 ms scans after a second with no call in progress).
    public static let timeSlice: Duration = .milliseconds(1)

    /// - Parameters:
    ///   - instructionBudget: per-call instruction budget (values below 1 are raised to 1); `nil` for none.
    ///   - memoryLimit: bytes for the whole state (negative values count as 0).
    ///   - checkInterval: instructions between budget checks (at least 1).
    ///   - metering: when the budget starts counting a call.
    public init(instructionBudget: Int? = 10_000_000, memoryLimit: Int = 64 << 20, checkInterval: Int = 1_000,
                metering: Metering = .afterTimeSlice) {
        self.instructionBudget = instructionBudget.map { max(1, $0) }
        self.memoryLimit = max(0, memoryLimit)
        self.checkInterval = max(1, checkInterval)
        self.metering = metering
    }

    /// 10 million instructions per call metered after the time slice, 64 MiB per state, a
    /// check every 1000 instructions.
    public static let `default` = LuaLimits()
}
