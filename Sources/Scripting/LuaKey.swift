/// A field name interned once in a ``LuaState`` (held as a registry reference), so that
/// setting and reading table fields on the per-call path never builds or hashes a new Lua
/// string: ``LuaTable/set(_:_:)-(LuaKey,Double)`` with a key that is already present in the
/// table is a handful of raw, allocation-free API calls.
///
/// Create keys once at setup with ``LuaState/key(_:)``. A key belongs to its state; using it
/// with another state traps. The reference is released when the key is deinitialized.
public final class LuaKey {
    /// The state the key lives in.
    public let state: LuaState
    /// The field name.
    public let name: String
    /// Registry reference to the interned string.
    let ref: Int32

    init(state: LuaState, name: String, ref: Int32) {
        self.state = state
        self.name = name
        self.ref = ref
    }

    deinit { state.deferRelease(ref) }
}
