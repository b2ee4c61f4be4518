import ArgumentParser

/// `chloe bench`: measures Chloe's hot paths.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the speed of Chloe's hot paths (build with -c release first).",
        subcommands: [BenchIndicatorsCommand.self, BenchModelCommand.self, BenchExchangesCommand.self, BenchStrategiesCommand.self, BenchPipelineCommand.self]
    )
}
