import Foundation
import Testing
@testable import Scripting

/// Access to the Lua scripts under `Scripts/` and the `-- @marker` comments that name lines.
enum ScriptFixtures {
    static func url(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: "lua", subdirectory: "Scripts"),
                     "missing fixture Scripts/\(name).lua")
    }

    /// The 1-based line of `name`.lua carrying the comment `-- @marker`.
    static func line(_ marker: String, in name: String) throws -> Int {
        let text = try String(contentsOf: url(name), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let index = try #require(lines.firstIndex { $0.contains("-- @\(marker)") }, "no marker @\(marker) in \(name).lua")
        return index + 1
    }

    /// A state with `name`.lua loaded.
    static func state(_ name: String, limits: LuaLimits = .default) throws -> LuaState {
        let state = try LuaState(limits: limits)
        try state.load(file: url(name))
        return state
    }
}

/// Runs `body` and returns the ``LuaError`` it throws (failing the test if it throws none or another error).
func luaError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> LuaError? {
    do {
        try body()
        Issue.record("expected a LuaError", sourceLocation: sourceLocation)
        return nil
    } catch let error as LuaError {
        return error
    } catch {
        Issue.record("expected a LuaError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
