import CLua

/// The process's one watchdog thread for ``LuaLimits/Metering/afterTimeSlice`` (see `shim.h`,
/// section 4b): it arms the instruction-budget hook of calls still running after
/// ``LuaLimits/timeSlice``, by signalling the thread that runs them.
enum LuaWatchdog {
    /// Real-time signal the watchdog sends: `SIGRTMIN + signalOffset`.
    static let signalOffset: Int32 = 7

    /// Started on first use; `nil` when it could not start (states then meter every instruction).
    nonisolated(unsafe) static let shared: UnsafeMutablePointer<chloe_watchdog>? = {
        let watchdog = UnsafeMutablePointer<chloe_watchdog>.allocate(capacity: 1)
        let (seconds, attoseconds) = LuaLimits.timeSlice.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        guard chloe_watchdog_start(watchdog, Int(nanoseconds), signalOffset) == 0 else {
            return nil // a half-started watchdog is not reused (its memory stays, once per process)
        }
        return watchdog
    }()

    /// Signals sent so far (each arms one slow call).
    static var signalsSent: Int {
        shared.map { Int(chloe_watchdog_signals($0)) } ?? 0
    }
}
