/// The error a host function throws to make the calling script fail: the trampoline raises
/// it in Lua as `"<script>:<line>: <message>"`, so the script can catch it with `pcall`, and
/// uncaught it reaches the host as a ``LuaError/Code/runtime`` error pointing at the line that
/// called the host function. Messages longer than 511 bytes are truncated.
public struct LuaHostError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the script is told.
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    /// Wraps another error, using its description as the message.
    public init(_ error: some Error) {
        self.message = String(describing: error)
    }

    public var description: String { message }
}
