/// Why a Lua operation failed: a script that does not compile, a script error at run time,
/// a resource limit, or a host expectation the script did not meet.
///
/// Errors raised by Lua carry the chunk name (``file``) and ``line`` parsed from Lua's
/// `"file:line: message"` form; when the message has no position (for example `error({})`
/// or `error("x", 0)`), the position of the innermost Lua frame at the time of the error is
/// used instead. ``description`` is the text to show a user.
public struct LuaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The broad category of a ``LuaError``, for matching.
    public enum Code: Sendable, Equatable {
        /// The chunk did not compile (also: a binary chunk was refused).
        case syntax
        /// The script raised an error while running (including errors raised by host functions).
        case runtime
        /// A call ran more Lua instructions than ``LuaLimits/instructionBudget`` allows.
        case instructionBudgetExceeded
        /// The state would have grown past ``LuaLimits/memoryLimit``.
        case memoryLimitExceeded
        /// The host asked for a global function the script does not define.
        case missingFunction
        /// A function returned a value of another type than the host expected.
        case badReturnType
        /// A script file could not be read.
        case unreadableFile
    }

    private enum Kind: Sendable, Equatable {
        case syntax(message: String)
        case runtime(message: String)
        case instructionBudgetExceeded(budget: Int, message: String)
        case memoryLimitExceeded(limit: Int, message: String)
        case missingFunction(name: String, found: String)
        case badReturnType(function: String, position: Int, expected: String, found: String)
        case unreadableFile(path: String, reason: String)
    }

    private let kind: Kind

    /// The chunk name the error points into (the script's name), if known.
    public let file: String?

    /// The line in ``file`` the error points at, if known.
    public let line: Int?

    /// Lua's stack traceback at the time of a runtime error, if one was taken.
    public let traceback: String?

    private init(_ kind: Kind, file: String? = nil, line: Int? = nil, traceback: String? = nil) {
        self.kind = kind
        self.file = file
        self.line = line
        self.traceback = traceback
    }

    // MARK: Constructors

    static func syntax(_ message: String, file: String?, line: Int?) -> LuaError {
        LuaError(.syntax(message: message), file: file, line: line)
    }

    static func runtime(_ message: String, file: String?, line: Int?, traceback: String?) -> LuaError {
        LuaError(.runtime(message: message), file: file, line: line, traceback: traceback)
    }

    static func instructionBudgetExceeded(budget: Int, message: String, file: String?, line: Int?, traceback: String?) -> LuaError {
        LuaError(.instructionBudgetExceeded(budget: budget, message: message), file: file, line: line, traceback: traceback)
    }

    static func memoryLimitExceeded(limit: Int, message: String = "not enough memory") -> LuaError {
        LuaError(.memoryLimitExceeded(limit: limit, message: message))
    }

    static func missingFunction(_ name: String, found: String) -> LuaError {
        LuaError(.missingFunction(name: name, found: found))
    }

    /// `position` is 1-based, as Lua counts results and arguments.
    static func badReturnType(function: String, position: Int, expected: String, found: String) -> LuaError {
        LuaError(.badReturnType(function: function, position: position, expected: expected, found: found))
    }

    static func unreadableFile(_ path: String, reason: String) -> LuaError {
        LuaError(.unreadableFile(path: path, reason: reason))
    }

    // MARK: Reading

    /// The category of this error.
    public var code: Code {
        switch kind {
        case .syntax: .syntax
        case .runtime: .runtime
        case .instructionBudgetExceeded: .instructionBudgetExceeded
        case .memoryLimitExceeded: .memoryLimitExceeded
        case .missingFunction: .missingFunction
        case .badReturnType: .badReturnType
        case .unreadableFile: .unreadableFile
        }
    }

    /// The bare message, without the `file:line:` prefix.
    public var message: String {
        switch kind {
        case let .syntax(message), let .runtime(message):
            return message
        case let .instructionBudgetExceeded(_, message), let .memoryLimitExceeded(_, message):
            return message
        case let .missingFunction(name, found):
            return "no function '\(name)' (the global is \(found))"
        case let .badReturnType(function, position, expected, found):
            return "'\(function)' returned \(found) as result #\(position); expected \(expected)"
        case let .unreadableFile(path, reason):
            return "cannot read '\(path)': \(reason)"
        }
    }

    public var description: String {
        let location = switch (file, line) {
        case let (file?, line?): "\(file):\(line): "
        case let (file?, nil): "\(file): "
        default: ""
        }
        switch kind {
        case let .syntax(message):
            return "\(location)syntax error: \(message) (fix the script and load it again)"
        case let .runtime(message):
            return "\(location)runtime error: \(message)"
        case let .instructionBudgetExceeded(budget, _):
            return "\(location)script stopped: one call ran more than \(budget) Lua instructions "
                + "(the instruction budget); look for an endless loop, do less work per call, "
                + "or raise LuaLimits.instructionBudget"
        case let .memoryLimitExceeded(limit, _):
            return "\(location)script stopped: the Lua state needed more than its memory limit of "
                + "\(Self.bytes(limit)); look for a table or string that grows without bound, "
                + "or raise LuaLimits.memoryLimit"
        case let .missingFunction(name, found):
            return "the script defines no function '\(name)' (the global '\(name)' is \(found)); "
                + "define `function \(name)(...)` at the top level of the script"
        case .badReturnType:
            return "\(message); fix the script's return statement"
        case .unreadableFile:
            return "\(message); check the path and its permissions"
        }
    }

    private static func bytes(_ count: Int) -> String {
        if count >= 1 << 20, count % (1 << 20) == 0 { return "\(count >> 20) MiB" }
        if count >= 1 << 10, count % (1 << 10) == 0 { return "\(count >> 10) KiB" }
        return "\(count) bytes"
    }
}

extension LuaError {
    /// Splits Lua's `"file:line: message"` into its parts. The file is everything before the
    /// first `:<digits>: ` (chunk names are ours and short; Lua truncates long ones with "...").
    /// Text without such a prefix comes back whole with `file` and `line` nil, and so does the
    /// `?:-1: ` prefix Lua gives errors raised in code without debug information.
    static func splitLocation(_ text: String) -> (file: String?, line: Int?, message: String) {
        let unknown = "?:-1: "
        if text.hasPrefix(unknown) { return (nil, nil, String(text.dropFirst(unknown.count))) }
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: ":"), index > 0 {
                var cursor = index + 1
                var line = 0
                while cursor < bytes.count, bytes[cursor] >= UInt8(ascii: "0"), bytes[cursor] <= UInt8(ascii: "9"), line < 100_000_000 {
                    line = line * 10 + Int(bytes[cursor] - UInt8(ascii: "0"))
                    cursor += 1
                }
                if cursor > index + 1, cursor < bytes.count, bytes[cursor] == UInt8(ascii: ":") {
                    var messageStart = cursor + 1
                    if messageStart < bytes.count, bytes[messageStart] == UInt8(ascii: " ") { messageStart += 1 }
                    let file = String(decoding: bytes[..<index], as: UTF8.self)
                    let message = String(decoding: bytes[messageStart...], as: UTF8.self)
                    return (file, line, message)
                }
            }
            index += 1
        }
        return (nil, nil, text)
    }
}
