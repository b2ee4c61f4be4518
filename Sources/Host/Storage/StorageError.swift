/// A storage operation that failed: opening the file, a migration, a write or a read.
public struct StorageError: Error, Sendable, CustomStringConvertible {
    /// What was being done (`opening data/chloe.sqlite`, `committing 500 signals`).
    public let operation: String
    /// Why it failed.
    public let reason: String

    public init(operation: String, reason: String) {
        self.operation = operation
        self.reason = reason
    }

    public var description: String { "storage: \(operation) failed: \(reason)" }

    /// The writer's queue was full: the record was not stored (and must not be published).
    public static func queueFull(capacity: Int) -> StorageError {
        StorageError(operation: "queueing records", reason: "the write queue is full (\(capacity) records); the database is not keeping up")
    }
}
