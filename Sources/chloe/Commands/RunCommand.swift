import ArgumentParser
import Foundation
import Host
import Logging
import NIOCore

/// `chloe run`: the daemon.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: feeds, pipeline, REST and WebSocket API, storage, alerts.",
        discussion: """
        Reads the configuration from --config, else $CHLOE_CONFIG, else ./chloe.yaml when it \
        exists, else uses the built-in defaults (the simulated feed, the API on 127.0.0.1:8080, \
        the database in data/). Every key can be overridden by an environment variable named \
        CHLOE_ + the key path in upper snake case (CHLOE_API_PORT, CHLOE_API_TOKEN), and the \
        flags below override both. See docs/configuration.md and docs/api.md.

        Mutating endpoints need a bearer token (api.token or CHLOE_API_TOKEN); without one \
        they are refused. SIGTERM or SIGINT stop the daemon gracefully (the database is \
        flushed); SIGHUP reloads the strategies.

        Exit status: 0 after a graceful stop, 1 when the daemon fails, 2 for a bad configuration.
        """
    )

    @Option(help: ArgumentHelp("The configuration file (YAML).", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("Address to bind the API to (api.host).", valueName: "address"))
    var host: String?

    @Option(help: ArgumentHelp("API port, 0 for any free port (api.port).", valueName: "port"))
    var port: Int?

    @Option(help: ArgumentHelp("Folder of the database (storage.data_dir).", valueName: "dir"))
    var dataDir: String?

    @Option(help: ArgumentHelp("Folder of the strategies (strategies.dir).", valueName: "dir"))
    var strategies: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let path = config ?? environment["CHLOE_CONFIG"] ?? (FileManager.default.fileExists(atPath: "chloe.yaml") ? "chloe.yaml" : nil)
        var settings: ChloeConfiguration
        do {
            settings = try ChloeConfiguration.load(path: path, environment: environment)
        } catch {
            Self.report("configuration: \(error)")
            throw ExitCode(2)
        }
        if let host { settings.api.host = host }
        if let port {
            guard (0...65535).contains(port) else {
                Self.report("--port \(port) is out of range 0...65535")
                throw ExitCode(2)
            }
            settings.api.port = port
        }
        if let dataDir { settings.storage.dataDir = dataDir }
        if let strategies { settings.strategies.dir = strategies }

        let level = Logger.Level(rawValue: settings.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var logger = Logger(label: "chloe")
        logger.logLevel = level
        // Before anything uses NIO's shared event loop group (its size is fixed at first use).
        if let loops = settings.eventLoopCount(cores: System.coreCount, environment: environment) {
            NIOSingletons.groupLoopCountSuggestion = loops
        }
        logger.info("starting", metadata: ["version": "\(chloeVersion)", "config": "\(path ?? "built-in defaults")",
                                           "event_loops": "\(NIOSingletons.groupLoopCountSuggestion)"])
        let daemonLogger = logger
        do {
            try await Daemon(configuration: settings, logger: logger).run(attach: { try await DaemonPipeline.attach($0, logger: daemonLogger) })
        } catch {
            logger.critical("daemon failed", metadata: ["error": "\(error)"])
            Self.report("\(error)")
            throw ExitCode.failure
        }
    }

    private static func report(_ message: String) {
        FileHandle.standardError.write(Data("chloe run: \(message)\n".utf8))
    }
}
