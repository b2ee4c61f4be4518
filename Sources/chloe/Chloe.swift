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
}
