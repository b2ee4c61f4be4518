/// A route the server registered: method and path template (`/alerts/{id}/ack`). The OpenAPI
/// document is tested against this list.
public struct APIRoute: Sendable, Hashable, CustomStringConvertible {
    public let method: String
    public let path: String

    public var description: String { "\(method) \(path)" }
}
