/// Why a frame is not valid JSON, with the byte offset where reading stopped.
struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    let offset: Int
    let reason: String

    var description: String { "malformed JSON at byte \(offset): \(reason)" }
}
