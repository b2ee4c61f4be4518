/// A configuration value that cannot be used: says which key, where it came from (file and line,
/// or the environment variable) and what is wrong.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The dotted key path (`api.port`, `feeds[1].exchange`); empty for the whole file.
    public let keyPath: String
    /// Where the value came from: `chloe.yaml:12:9`, `environment CHLOE_API_PORT` or a file name.
    public let location: String
    /// What is wrong and what would be accepted.
    public let message: String

    public init(keyPath: String, location: String, message: String) {
        self.keyPath = keyPath
        self.location = location
        self.message = message
    }

    public var description: String {
        keyPath.isEmpty ? "\(location): \(message)" : "\(location): \(keyPath): \(message)"
    }
}
