import Foundation
import Yams

/// The daemon's whole configuration. Every key has a default, so an empty (or absent) file runs
/// the simulated feed on 127.0.0.1:8080. Sources, last wins: built-in defaults, the YAML file,
/// `CHLOE_…` environment variables, then `chloe run` flags. See docs/configuration.md.
public struct ChloeConfiguration: Sendable, Hashable {
    public var api = APISettings()
    public var storage = StorageSettings()
    public var feeds: [FeedSettings] = FeedSettings.defaults
    public var pipeline = PipelineSettings()
    public var strategies = StrategySettings()
    public var model = ModelSettings()
    public var alerts = AlertSettings()
    public var risk = RiskSettings()
    /// Log level: trace, debug, info, notice, warning, error or critical.
    public var logLevel: String = "info"
    /// Event loops (threads) for the exchange connections and the API's sockets; nil (`auto`):
    /// see ``eventLoopCount(cores:environment:)``.
    public var eventLoops: Int?

    public init() {}

    /// The top-level keys a file may have.
    static let sections: Set<String> = ["api", "storage", "feeds", "pipeline", "strategies", "model", "alerts", "risk", "log_level", "event_loops"]

    /// Reads `yaml` (the text of `file`) with `environment` overrides on top.
    public init(yaml: String, file: String = "chloe.yaml", environment: [String: String] = [:]) throws(ConfigurationError) {
        let document: Node?
        do {
            document = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw Self.syntaxError(error, file: file)
        } catch {
            throw ConfigurationError(keyPath: "", location: file, message: "not valid YAML: \(ConfigNode.firstLine(of: error))")
        }
        do {
            let root = try ConfigNode.root(document, file: file, environment: environment)
            try root.expectKeys(Self.sections)
            api = try APISettings(reading: root.child("api"))
            storage = try StorageSettings(reading: root.child("storage"))
            let feedsNode = try root.child("feeds")
            feeds = try feedsNode.list(FeedSettings.defaults) { try FeedSettings(reading: $0) }
            pipeline = try PipelineSettings(reading: root.child("pipeline"))
            strategies = try StrategySettings(reading: root.child("strategies"))
            model = try ModelSettings(reading: root.child("model"))
            alerts = try AlertSettings(reading: root.child("alerts"))
            risk = try RiskSettings(reading: root.child("risk"))
            let levelNode = try root.child("log_level")
            logLevel = try levelNode.string(logLevel).lowercased()
            guard Self.logLevels.contains(logLevel) else {
                throw levelNode.error("unknown level '\(logLevel)'; expected \(Self.logLevels.joined(separator: ", "))")
            }
            eventLoops = try root.child("event_loops").int(eventLoops, in: 1...256, orWord: "auto",
                                                            expected: "a number of event loops (1-256) or auto")
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError(keyPath: "", location: file, message: "\(error)")
        }
    }

    /// Reads the file at `path` (with `environment` overrides), or only the defaults and the
    /// environment when `path` is nil.
    public static func load(path: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigurationError) -> ChloeConfiguration {
        guard let path else { return try ChloeConfiguration(yaml: "", file: "defaults", environment: environment) }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(keyPath: "", location: path, message: "cannot read the configuration file: \(error.localizedDescription)")
        }
        return try ChloeConfiguration(yaml: text, file: path, environment: environment)
    }

    static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    private static func syntaxError(_ error: YamlError, file: String) -> ConfigurationError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return ConfigurationError(keyPath: "", location: "\(file):\(mark.line):\(mark.column)", message: "not valid YAML: \(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigurationError(keyPath: "", location: "\(file):\(context.mark.line):\(context.mark.column)",
                                      message: "duplicate keys: \(duplicates.joined(separator: ", "))")
        default:
            return ConfigurationError(keyPath: "", location: file, message: "not valid YAML: \(ConfigNode.firstLine(of: error))")
        }
    }
}
