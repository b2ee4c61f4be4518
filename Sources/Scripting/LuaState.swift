import CLua

/// One sandboxed Lua interpreter: a `lua_State` with Chloe's safe libraries
/// (see ``LuaSandbox``), a per-call instruction budget and a memory cap (see ``LuaLimits``).
///
/// Use it from one thread or actor at a time: it is deliberately not `Sendable` (a Lua state
/// is single-threaded; the strategy runtime gives each symbol its own state, owned by one
/// actor). It is not reentrant either: a host function (see ``register(_:_:)``) must not call
/// back into the state that runs it; doing so is a programming error and traps.
///
/// Every operation that can raise a Lua error runs inside `lua_pcall` in C (see `shim.h`), so a
/// script error, a memory refusal or a budget kill comes back as a thrown ``LuaError`` and the
/// state stays usable. The state closes in `deinit`.
///
/// Typical use:
/// ```swift
/// let lua = try LuaState()
/// try lua.load(file: strategyURL)
/// let onBar = try lua.function("on_bar")
/// let ctx = try lua.newTable()
/// let close = try lua.key("close")
/// for bar in bars {
///     try ctx.set(close, bar.close)                       // in place, no rebuild
///     let signal = try lua.call(onBar, arguments: { $0.push(ctx) }) { $0.number(at: 0) }
/// }
/// ```
public final class LuaState {
    /// The `lua_State *`.
    let handle: OpaquePointer
    /// Memory accounting, budget and host callbacks shared with the C side (allocator userdata).
    let control: UnsafeMutablePointer<chloe_control>

    /// Closures behind host functions; they must outlive the `lua_State` (released after `lua_close`).
    var hostFunctions: [LuaHostFunctionBox] = []
    /// Registry references dropped by handles (``LuaTable``, ``LuaKey``, ``LuaFunction``), freed at
    /// the next entry (``chloe_control/releases_pending`` says there are some).
    var pendingReleases: [Int32] = []
    /// The first type mismatch a ``LuaResults`` reader met during the current call
    /// (``chloe_control/result_mismatch`` says there is one).
    var resultMismatch: LuaError?

    /// The limits in force; changing them applies from the next call.
    public var limits: LuaLimits {
        didSet { Self.apply(limits, to: control) }
    }

    /// Receives each line the script prints with `print` (tab-separated `tostring` of the
    /// arguments, without newline). When `nil`, output is discarded.
    public var printHandler: ((String) -> Void)?

    /// Approximate number of Lua instructions the last entry executed while its budget was
    /// counting (to within ``LuaLimits/checkInterval``): every instruction under
    /// ``LuaLimits/Metering/everyInstruction``, those after the watchdog armed the hook under
    /// ``LuaLimits/Metering/afterTimeSlice`` (0 for a call shorter than the time slice);
    /// 0 when no budget is set.
    public var lastInstructionCount: Int { Int(control.pointee.last_instructions) }

    /// Creates a state with the sandbox libraries open.
    ///
    /// - Throws: ``LuaError/Code/memoryLimitExceeded`` when `limits.memoryLimit` is too small
    ///   for the standard libraries (about 30 KB).
    public convenience init(limits: LuaLimits = .default) throws(LuaError) {
        try self.init(limits: limits, building: false)
    }

    /// Creates a state whose collector waits longer between cycles (a pause of 1000 %
    /// instead of 200 %) until ``finishBuilding()`` when `building`: the strategy runtime
    /// builds a state that way, since what it makes then is kept anyway (shim.h,
    /// `chloe_gc_building`). The memory limit applies as always.
    init(limits: LuaLimits, building: Bool) throws(LuaError) {
        let control = UnsafeMutablePointer<chloe_control>.allocate(capacity: 1)
        control.initialize(to: chloe_control())
        Self.apply(limits, to: control)
        guard let handle = chloe_newstate(control) else {
            chloe_discard(control)
            control.deallocate()
            throw .memoryLimitExceeded(limit: limits.memoryLimit)
        }
        chloe_arm(handle, control)
        chloe_gc_building(handle, 1) // what the libraries make is kept
        let status = LuaSandbox.open(handle, control: control)
        if status != LUA_OK {
            let limit = limits.memoryLimit
            chloe_discard(control)
            control.deallocate()
            throw status == LUA_ERRMEM
                ? .memoryLimitExceeded(limit: limit)
                : .runtime("could not open the sandbox libraries (status \(status))", file: nil, line: nil, traceback: nil)
        }
        self.handle = handle
        self.control = control
        self.limits = limits
        control.pointee.host_dispatch = { context, call in LuaHostCall.dispatch(context: context, call: call) }
        control.pointee.print = { context, text, length in
            guard let context else { return }
            let state = Unmanaged<LuaState>.fromOpaque(context).takeUnretainedValue()
            guard let handler = state.printHandler else { return }
            let line = text.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self) } ?? ""
            handler(line)
        }
        control.pointee.print_context = Unmanaged.passUnretained(self).toOpaque()
        if !building { chloe_gc_building(handle, 0) }
    }

    deinit {
        // No lua_close: it would only free the objects one by one (the sandbox allows no
        // finalizers), so the state's arena is freed whole (`chloe_discard`, shim.h section 3).
        chloe_discard(control)
        control.deinitialize(count: 1)
        control.deallocate()
    }

    // MARK: Memory

    /// Bytes the state holds now.
    public var memoryInUse: Int { Int(control.pointee.memory_used) }

    /// The most bytes the state has held since it was created or ``resetMemoryPeak()`` was called.
    public var memoryPeak: Int { Int(control.pointee.memory_peak) }

    /// Starts a new peak measurement from the current use.
    public func resetMemoryPeak() {
        control.pointee.memory_peak = control.pointee.memory_used
    }

    /// Gives the collector its usual pause back (see ``init(limits:building:)``).
    func finishBuilding() {
        requireIdle()
        chloe_gc_building(handle, 0)
    }

    /// Runs a full garbage collection (finalizers run under the instruction budget).
    public func collectGarbage() throws(LuaError) {
        let base = enter()
        defer { leave(base) }
        try check(chloe_collect(handle))
    }

    // MARK: Limits

    static func apply(_ limits: LuaLimits, to control: UnsafeMutablePointer<chloe_control>) {
        control.pointee.memory_limit = limits.memoryLimit
        let budget = limits.instructionBudget ?? 0
        control.pointee.budget = Int64(budget)
        let interval = budget > 0 ? min(limits.checkInterval, budget) : limits.checkInterval
        control.pointee.hook_interval = Int32(clamping: max(1, interval))
        control.pointee.watchdog = limits.metering == .afterTimeSlice ? LuaWatchdog.shared : nil
    }
}
