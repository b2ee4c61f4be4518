/// Why a strategy could not be loaded, validated or changed: where (strategy, file, line) and
/// what to do about it. ``description`` is the text to show a user.
public struct StrategyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broad category, for matching (HTTP status, exit codes).
    public enum Code: Sendable, Hashable {
        /// The script does not compile.
        case syntax
        /// Running it (top level, `setup`, `init`) raised an error.
        case runtime
        /// It ran past its instruction budget.
        case instructionBudget
        /// It ran past its memory cap.
        case memoryLimit
        /// The strategy table is wrong: unknown fields, wrong types, unknown indicators, bad params.
        case invalid
        /// No strategy with that name.
        case notFound
        /// The name is not usable as a file name (letters, digits, `_` and `-` only).
        case invalidName
        /// The file could not be read or written.
        case io
        /// A shadow operation without a shadow (or a rollback without a previous version).
        case noSuchVersion
    }

    public let code: Code
    public let strategy: String
    /// The file the error points into (`rsi_reversion.lua`, `plugins/zscore.lua`), when known.
    public let file: String?
    public let line: Int?
    public let message: String

    public init(_ code: Code, strategy: String, file: String? = nil, line: Int? = nil, message: String) {
        self.code = code
        self.strategy = strategy
        self.file = file
        self.line = line
        self.message = message
    }

    /// A Lua failure while loading `strategy`, keeping its file and line.
    init(_ error: LuaError, strategy: String, defaultFile: String) {
        let code: Code = switch error.code {
        case .syntax: .syntax
        case .instructionBudgetExceeded: .instructionBudget
        case .memoryLimitExceeded: .memoryLimit
        case .badReturnType, .missingFunction: .invalid
        case .unreadableFile: .io
        case .runtime: .runtime
        }
        let text = error.description
        let prefix = [error.file, error.line.map(String.init)].compactMap { $0 }.joined(separator: ":") + ": "
        let message = error.file != nil && text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
        self.init(code, strategy: strategy, file: error.file ?? defaultFile, line: error.line, message: message)
    }

    /// A problem text from the runtime's checks, `file:line: message` or `file: message`.
    init(problem: String, strategy: String, defaultFile: String) {
        let (file, line, message) = LuaError.splitLocation(problem)
        if let file {
            self.init(.invalid, strategy: strategy, file: file, line: line, message: message)
        } else if let colon = problem.range(of: ": "), !problem[..<colon.lowerBound].contains(" ") {
            self.init(.invalid, strategy: strategy, file: String(problem[..<colon.lowerBound]), line: nil,
                      message: String(problem[colon.upperBound...]))
        } else {
            self.init(.invalid, strategy: strategy, file: defaultFile, line: nil, message: problem)
        }
    }

    public var description: String {
        let location = [file, line.map(String.init)].compactMap { $0 }.joined(separator: ":")
        return location.isEmpty ? "strategy '\(strategy)': \(message)" : "\(location): \(message)"
    }
}
