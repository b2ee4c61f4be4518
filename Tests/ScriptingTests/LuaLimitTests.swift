import Testing
@testable import Scripting

/// The limits with every instruction metered (exact budget); ``LuaWatchdogTests`` runs the
/// runaway scripts again with the hook armed by the watchdog.
@Suite struct LuaLimitTests {
    static let tight = LuaLimits(instructionBudget: 200_000, memoryLimit: 8 << 20, checkInterval: 100, metering: .everyInstruction)

    @Test func endlessLoopIsStoppedByTheBudget() throws {
        let lua = try ScriptFixtures.state("limits", limits: Self.tight)
        let error = luaError { _ = try lua.callForValues("spin") }
        #expect(error?.code == .instructionBudgetExceeded)
        #expect(error?.file == "limits.lua")
        #expect(error?.line == (try ScriptFixtures.line("spin", in: "limits")))
        #expect(error?.description.contains("200000 Lua instructions") == true)
        // re-armed: the next call has a full budget again
        #expect(try lua.call("bounded", 1_000) == [500_500])
        #expect(lua.lastInstructionCount > 0 && lua.lastInstructionCount < 200_000)
    }

    @Test(arguments: ["swallow", "swallow_in_coroutine", "swallow_with_handler"])
    func scriptCannotSwallowTheKill(function: String) throws {
        let lua = try ScriptFixtures.state("limits", limits: Self.tight)
        let error = luaError { _ = try lua.callForValues(function) }
        #expect(error?.code == .instructionBudgetExceeded)
        #expect(error?.file == "limits.lua")
        #expect(try lua.call("small") == [42])
    }

    @Test func coroutineThatSwallowsTheKillStillFailsTheCall() throws {
        let lua = try ScriptFixtures.state("limits", limits: Self.tight)
        let error = luaError { _ = try lua.callForValues("swallow_quickly") }
        #expect(error?.code == .instructionBudgetExceeded)
        #expect(error?.file == "limits.lua")
        #expect(try lua.call("small") == [42])
    }

    @Test func killedCoroutineDoesNotRunCloseHandlers() throws {
        let lua = try ScriptFixtures.state("limits", limits: Self.tight)
        #expect(luaError { _ = try lua.callForValues("close_killed") }?.code == .instructionBudgetExceeded)
        #expect(try lua.callForValues("close_killed_later") == [.boolean(false), .string("coroutine was stopped by the instruction budget")])
        #expect(luaError { _ = try lua.callForValues("wrap_killed") }?.code == .instructionBudgetExceeded)
        #expect(try lua.call("small") == [42])
    }

    @Test func loopingCloseHandlerIsStopped() throws {
        let lua = try ScriptFixtures.state("limits", limits: Self.tight)
        #expect(luaError { _ = try lua.callForValues("looping_close") }?.code == .instructionBudgetExceeded)
        #expect(try lua.call("small") == [42])
    }

    @Test func budgetAppliesToLoading() throws {
        let lua = try LuaState(limits: Self.tight)
        let error = luaError { try lua.load(source: "local n = 0\nwhile true do n = n + 1 end", name: "loader") }
        #expect(error?.code == .instructionBudgetExceeded)
        #expect(error?.file == "loader")
        #expect(error?.line == 2)
    }

    @Test func budgetCanBeChanged() throws {
        let lua = try ScriptFixtures.state("limits", limits: Self.tight)
        #expect(luaError { _ = try lua.call("bounded", 1_000_000) }?.code == .instructionBudgetExceeded)
        lua.limits.instructionBudget = nil
        #expect(try lua.call("bounded", 1_000_000) == [500_000_500_000])
    }

    @Test func coroutineMadeInAnEarlierCallIsMetered() throws {
        let lua = try ScriptFixtures.state("limits", limits: Self.tight)
        #expect(try lua.call("make_sleeper") == [1])
        let error = luaError { _ = try lua.callForValues("wake_sleeper") }
        #expect(error?.code == .instructionBudgetExceeded)
        #expect(error?.line == (try ScriptFixtures.line("sleeper", in: "limits")))
        #expect(try lua.call("small") == [42])
    }

    @Test func resumeKeepsLuaResults() throws {
        let lua = try ScriptFixtures.state("limits", limits: Self.tight)
        #expect(try lua.callForValues("resume_results") == [
            .boolean(true), .number(3), .boolean(true), .number(42), .string("done"),
            .boolean(false), .string("cannot resume dead coroutine"),
            .boolean(false), .string("cannot resume non-suspended coroutine"),
        ])
    }

    @Test(arguments: ["string_bomb", "table_bomb", "concat_bomb"])
    func memoryBombIsStoppedByTheAllocator(function: String) throws {
        let lua = try ScriptFixtures.state("limits", limits: LuaLimits(instructionBudget: 100_000_000, memoryLimit: 8 << 20))
        let error = luaError { _ = try lua.callForValues(function) }
        #expect(error?.code == .memoryLimitExceeded)
        #expect(error?.description.contains("memory limit of 8 MiB") == true)
        #expect(lua.memoryPeak <= 8 << 20)
        // still usable, and the garbage is reclaimable
        #expect(try lua.call("small") == [42])
        try lua.collectGarbage()
        #expect(lua.memoryInUse < 1 << 20)
    }

    @Test func scriptMayCatchItsOwnMemoryError() throws {
        let lua = try ScriptFixtures.state("limits", limits: LuaLimits(memoryLimit: 4 << 20))
        #expect(try lua.callForValues("caught_bomb") == [.boolean(false), .string("not enough memory")])
    }

    @Test func deepRecursionIsStopped() throws {
        let lua = try ScriptFixtures.state("limits", limits: LuaLimits(instructionBudget: 100_000_000, memoryLimit: 256 << 20))
        let error = luaError { _ = try lua.callForValues("recurse") }
        #expect(error?.code == .runtime)
        #expect(error?.message.contains("stack overflow") == true)
        #expect(error?.file == "limits.lua")
        #expect(error?.line == (try ScriptFixtures.line("deep", in: "limits")))
        #expect(try lua.call("small") == [42])
    }

    @Test func deepRecursionUnderATightMemoryLimit() throws {
        let lua = try ScriptFixtures.state("limits", limits: LuaLimits(memoryLimit: 2 << 20))
        let error = luaError { _ = try lua.callForValues("recurse") }
        #expect(error?.code == .memoryLimitExceeded || error?.code == .runtime)
        #expect(try lua.call("small") == [42])
    }

    @Test func cRecursionIsStopped() throws {
        let lua = try ScriptFixtures.state("limits")
        let error = luaError { _ = try lua.callForValues("c_recurse") }
        #expect(error?.code == .runtime)
        #expect(error?.message.contains("stack overflow") == true)
        #expect(try lua.call("small") == [42])
    }

    @Test func memoryIsAccounted() throws {
        let lua = try LuaState()
        let before = lua.memoryInUse
        #expect(before > 0)
        try lua.load(source: "big = string.rep('x', 1000000)", name: "big")
        #expect(lua.memoryInUse >= before + 1_000_000)
        #expect(lua.memoryPeak >= lua.memoryInUse)
        try lua.setGlobal("big", .nil)
        try lua.collectGarbage()
        #expect(lua.memoryInUse < before + 100_000)
        lua.resetMemoryPeak()
        #expect(lua.memoryPeak == lua.memoryInUse)
    }

    @Test func tooLittleMemoryForTheLibraries() {
        do {
            _ = try LuaState(limits: LuaLimits(memoryLimit: 1_000))
            Issue.record("expected a memory error")
        } catch {
            #expect(error.code == .memoryLimitExceeded)
        }
    }
}
