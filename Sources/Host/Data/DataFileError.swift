/// Why a candle or trade file could not be read, with the place in the file a user can go to.
public struct DataFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's path as given.
    public let path: String
    /// 1-based line of the problem (0 when the problem is the whole file).
    public let line: Int
    /// 1-based column: the CSV field number, or the character position in a JSON line.
    public let column: Int
    public let reason: String

    public init(path: String, line: Int, column: Int, reason: String) {
        self.path = path
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String {
        line == 0 ? "\(path): \(reason)" : "\(path):\(line):\(column): \(reason)"
    }
}
