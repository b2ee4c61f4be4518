/// A Lua function held by the host (a registry reference): a script's global function
/// resolved once with ``LuaState/function(_:)``, or a host function made with
/// ``LuaState/makeHostFunction(_:_:)``. Calling through it skips the global lookup.
///
/// The handle keeps the function value it was resolved to: if the script later assigns a
/// new function to the global, resolve it again. A function belongs to its state; using it
/// with another state traps. The reference is released when the handle is deinitialized.
public final class LuaFunction {
    /// The state the function lives in.
    public let state: LuaState
    /// The name used in error messages (the global's name for script functions).
    public let name: String
    /// Registry reference to the function.
    let ref: Int32

    init(state: LuaState, name: String, ref: Int32) {
        self.state = state
        self.name = name
        self.ref = ref
    }

    deinit { state.deferRelease(ref) }
}
