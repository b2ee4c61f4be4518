import Foundation
import Synchronization
import Testing
@testable import Scripting

/// The instruction budget with ``LuaLimits/Metering/afterTimeSlice``: calls start without the
/// count hook and the watchdog thread arms it for a call still running after its time slice.
/// Every runaway script of ``LuaLimitTests`` must be stopped the same way, including from
/// coroutines made before the hook was armed. (These tests run on Swift's cooperative pool,
/// whose Dispatch threads block every signal: the watchdog's signal must still get through.)
@Suite struct LuaWatchdogTests {
    static let sliced = LuaLimits(instructionBudget: 200_000, memoryLimit: 8 << 20, checkInterval: 100, metering: .afterTimeSlice)

    @Test func theDefaultMetersAfterTheTimeSlice() {
        #expect(LuaLimits.default.metering == .afterTimeSlice)
        #expect(StrategyRuntimeConfiguration().limits.metering == .afterTimeSlice)
        #expect(LuaWatchdog.shared != nil)
    }

    @Test func endlessLoopIsStopped() throws {
        let lua = try ScriptFixtures.state("limits", limits: Self.sliced)
        let error = luaError { _ = try lua.callForValues("spin") }
        #expect(error?.code == .instructionBudgetExceeded)
        #expect(error?.file == "limits.lua")
        #expect(error?.line == (try ScriptFixtures.line("spin", in: "limits")))
        #expect(error?.description.contains("200000 Lua instructions") == true)
        #expect(lua.lastInstructionCount >= 200_000)
        // the next call has its full budget again
        #expect(try lua.call("bounded", 1_000) == [500_500])
    }

    @Test(arguments: [
        "swallow", "swallow_in_coroutine", "swallow_with_handler", "swallow_quickly",
        "resume_old_coroutine_then_spin", "resume_forever", "wrap_forever", "looping_close",
    ])
    func runawayIsStopped(function: String) throws {
        let lua = try ScriptFixtures.state("limits", limits: Self.sliced)
        let error = luaError { _ = try lua.callForValues(function) }
        #expect(error?.code == .instructionBudgetExceeded)
        #expect(error?.file == "limits.lua")
        #expect(try lua.call("small") == [42])
    }

    @Test func spinAfterResumingAnOldCoroutineIsStoppedWhereItSpins() throws {
        let lua = try ScriptFixtures.state("limits", limits: Self.sliced)
        let error = luaError { _ = try lua.callForValues("resume_old_coroutine_then_spin") }
        #expect(error?.line == (try ScriptFixtures.line("main_spin", in: "limits")))
    }

    @Test func coroutineMadeInAnEarlierCallIsStopped() throws {
        let lua = try ScriptFixtures.state("limits", limits: Self.sliced)
        #expect(try lua.call("make_sleeper") == [1])
        let error = luaError { _ = try lua.callForValues("wake_sleeper") }
        #expect(error?.code == .instructionBudgetExceeded)
        #expect(error?.line == (try ScriptFixtures.line("sleeper", in: "limits")))
        #expect(try lua.call("small") == [42])
    }

    @Test func killedCoroutineDoesNotRunCloseHandlers() throws {
        let lua = try ScriptFixtures.state("limits", limits: Self.sliced)
        #expect(luaError { _ = try lua.callForValues("close_killed") }?.code == .instructionBudgetExceeded)
        #expect(try lua.callForValues("close_killed_later") == [.boolean(false), .string("coroutine was stopped by the instruction budget")])
        #expect(luaError { _ = try lua.callForValues("wrap_killed") }?.code == .instructionBudgetExceeded)
        #expect(try lua.call("small") == [42])
    }

    @Test func loadingIsStopped() throws {
        let lua = try LuaState(limits: Self.sliced)
        let error = luaError { try lua.load(source: "local n = 0\nwhile true do n = n + 1 end", name: "loader") }
        #expect(error?.code == .instructionBudgetExceeded)
        #expect(error?.file == "loader")
        #expect(error?.line == 2)
    }

    @Test func shortCallsRunWithoutTheHook() throws {
        let lua = try ScriptFixtures.state("limits", limits: Self.sliced)
        var unmetered = 0
        for _ in 0..<1_000 {
            #expect(try lua.call("bounded", 100) == [5_050])
            if lua.lastInstructionCount == 0 { unmetered += 1 }
        }
        // the hook counted none of them (a call the scheduler stalls for a whole slice may be armed)
        #expect(unmetered >= 990)
    }

    @Test func resumeKeepsLuaResults() throws {
        let lua = try ScriptFixtures.state("limits", limits: Self.sliced)
        #expect(try lua.callForValues("resume_results") == [
            .boolean(true), .number(3), .boolean(true), .number(42), .string("done"),
            .boolean(false), .string("cannot resume dead coroutine"),
            .boolean(false), .string("cannot resume non-suspended coroutine"),
        ])
    }

    @Test func statesOnManyThreadsAreEachStopped() async throws {
        try await withThrowingTaskGroup(of: LuaError.Code?.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let lua = try ScriptFixtures.state("limits", limits: Self.sliced)
                    do {
                        _ = try lua.callForValues("spin")
                        return nil
                    } catch let error as LuaError {
                        return error.code
                    }
                }
            }
            for try await code in group {
                #expect(code == .instructionBudgetExceeded)
            }
        }
    }

    /// A thread that blocks every signal (as Dispatch's worker threads do) still gets the
    /// watchdog's: its slot unblocks that one signal.
    @Test func threadThatBlocksEverySignalIsStillStopped() throws {
        let done = DispatchSemaphore(value: 0)
        let outcome = Mutex<LuaError.Code?>(nil)
        let thread = Thread {
            var all = sigset_t()
            sigfillset(&all)
            pthread_sigmask(SIG_BLOCK, &all, nil)
            let code: LuaError.Code?
            do {
                let lua = try ScriptFixtures.state("limits", limits: Self.sliced)
                _ = try lua.callForValues("spin")
                code = nil
            } catch let error as LuaError {
                code = error.code
            } catch {
                code = nil
            }
            outcome.withLock { $0 = code }
            done.signal()
        }
        thread.start()
        done.wait()
        #expect(outcome.withLock { $0 } == .instructionBudgetExceeded)
    }

    @Test func switchingToEveryInstructionTakesEffectAtTheNextCall() throws {
        let lua = try ScriptFixtures.state("limits", limits: Self.sliced)
        #expect(try lua.call("bounded", 1_000) == [500_500])
        lua.limits.metering = .everyInstruction
        #expect(try lua.call("bounded", 1_000) == [500_500])
        #expect(lua.lastInstructionCount > 0)
    }
}
