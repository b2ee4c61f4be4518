import Foundation
import Hummingbird

/// An API failure with the status and the message the client gets, as
/// `{"error": {"status": 400, "message": "..."}}`.
public struct APIError: Error, Sendable, HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var message: String
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Self.response(status: status, message: message, headers: headers)
    }

    /// The JSON error response.
    static func response(status: HTTPResponse.Status, message: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        let body = ErrorBody(error: .init(status: status.code, message: message))
        let bytes = (try? RecordCoding.makeEncoder().encode(body)) ?? Data(#"{"error":{"status":500,"message":"error"}}"#.utf8)
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private struct ErrorBody: Encodable {
        struct Detail: Encodable {
            let status: Int
            let message: String
        }

        let error: Detail
    }

    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, message) }
}
