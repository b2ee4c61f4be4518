import ArgumentParser
import Host

@main
struct Chloe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chloe",
        abstract: "Chloe: a real-time market-analysis engine.",
        version: chloeVersion,
        subcommands: [IndicatorsCommand.self, DecodeCommand.self, BenchCommand.self, RunCommand.self, TrainCommand.self, CheckCommand.self, ReplayCommand.self]
    )

    /// Parses the command line and runs the command, as `AsyncParsableCommand.main()` does, but
    /// on the main actor: a synchronous command (`indicators`, `decode`, `train`, `check`, the
    /// `bench` commands but `pipeline`) runs on the process's main thread, as in any
    /// synchronous tool, and allocates from glibc's main arena. (A pool thread's arena gives
    /// back to the system the memory freed beyond its trim threshold after every call that
    /// frees it, so three 8 MB columns allocated again were zero-filled again on every call.)
    /// The asynchronous commands (`run`, `replay`, `bench pipeline`) leave the main actor at
    /// their `run()`, as before.
    @MainActor
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
