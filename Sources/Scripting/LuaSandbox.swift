import CLua

/// The environment every ``LuaState`` starts with: what a strategy script can reach.
///
/// Opened (the work happens in C, `chloe_open_sandbox` in `shim.h`):
/// - **base**, minus the globals listed below, with `load` restricted to text chunks
///   (its `mode` argument is forced to `"t"`, so `load(string.dump(f))` returns
///   `nil, "attempt to load a binary chunk (mode is 't')"`), `collectgarbage` restricted to
///   `"collect"`, `"count"` and `"step"`, and `print` routed to ``LuaState/printHandler``.
///   `setmetatable` refuses metatables with a `__gc` field, and `xpcall` skips the script's
///   message handler once the budget has run out (see "Budget escapes" below).
/// - **string** (with `string.dump`: harmless, since binary chunks cannot be loaded;
///   `string.format` prints `%s`, `%d`, `%f`, `%.Nf` and `%%` itself, the same digits as
///   glibc's printf without its cold code, and hands every other format to Lua's own: see
///   `format.h`),
///   **table**, **math**, **utf8**, **coroutine** (`coroutine.close` and `coroutine.wrap`
///   do not run the `__close` handlers of a coroutine killed by the budget).
/// - **os** with only `os.time`, `os.clock` and `os.date` (wall-clock reads; deterministic
///   replays will need a host clock later).
///
/// Omitted globals, and why:
/// - `dofile`, `loadfile`: read arbitrary files from the host's file system; scripts are
///   loaded by the host.
/// - `require`, `package`: search and load Lua and *native* modules from the file system
///   (`package.loadlib` runs arbitrary C). A sandboxed `require` restricted to the plugin
///   folder comes later.
/// - `io`: files, processes (`io.popen`) and the host's standard streams.
/// - `os.execute`, `os.exit`, `os.remove`, `os.rename`, `os.tmpname`: run programs, end the
///   host, change the file system; `os.getenv`: leaks the host's environment (API keys);
///   `os.setlocale`: process-wide, would change number formatting for the whole host;
///   `os.difftime`: dropped to keep `os` to the three clock reads.
/// - `debug`: breaks every guarantee (`debug.sethook` removes the instruction budget,
///   `debug.getregistry` and `debug.setupvalue` reach host internals, `debug.setmetatable`
///   changes shared metatables).
/// - `warn`: the state has no warning sink, so messages would vanish silently.
/// - `collectgarbage` options other than `"collect"`, `"count"`, `"step"` (`"stop"`,
///   `"generational"`, `"incremental"`, `"setpause"`, ...): tuning or stopping the collector is
///   the host's decision; a stopped collector turns every script into a memory bomb.
///
/// Budget escapes closed: Lua runs some code with hooks disabled, where the instruction
/// budget cannot stop it: `__gc` finalizers (refused by `setmetatable`), the message
/// handler of an error raised by the budget hook (skipped by the sandbox's `xpcall`), and
/// `__close` handlers of a coroutine killed by the hook (not run by `coroutine.close` /
/// `coroutine.wrap`). A call during which the budget ran out always fails, even if the script
/// caught the error (for example in a coroutine).
///
/// Known limit: time spent inside one C library call (for example a pathological
/// `string.find` pattern on a long subject) is not counted by the instruction budget.
public enum LuaSandbox {
    /// The library tables a script can use.
    public static let libraries = ["string", "table", "math", "utf8", "coroutine", "os"]

    /// The standard globals deliberately absent from the sandbox (see the type's documentation).
    public static let omittedGlobals = ["dofile", "loadfile", "require", "package", "io", "debug", "warn"]

    /// The only `os` functions available.
    public static let osFunctions = ["time", "clock", "date"]

    /// Opens the sandbox libraries in a fresh state (protected). Returns the Lua status.
    static func open(_ handle: OpaquePointer, control: UnsafeMutablePointer<chloe_control>) -> Int32 {
        control.pointee.os_functions = osClockFunctions
        return chloe_open_sandbox(handle)
    }

    /// `os.time`, `os.clock` and `os.date`, taken once per process (nil ones: each state then
    /// takes them from a full `os` table).
    private static let osClockFunctions: (lua_CFunction?, lua_CFunction?, lua_CFunction?) = {
        var functions: (lua_CFunction?, lua_CFunction?, lua_CFunction?) = (nil, nil, nil)
        withUnsafeMutablePointer(to: &functions) { tuple in
            tuple.withMemoryRebound(to: lua_CFunction?.self, capacity: 3) { _ = chloe_os_clock_functions($0) }
        }
        return functions
    }()
}
