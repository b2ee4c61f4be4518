/// How urgent a fired alert is; strategies name it in their `alerts` table.
public enum AlertSeverity: String, Sendable, Hashable, Codable, CaseIterable {
    case info
    case warning
    case critical
}
