import Hummingbird
import Logging
import Metrics

/// Turns every error into the JSON error body: a client mistake keeps its 4xx status (unknown
/// routes 404, oversized bodies 413, undecodable JSON 400); anything else is logged and answered
/// 500 without internals.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger
    private let clientErrors = Counter(label: "chloe_api_client_errors_total")
    private let serverErrors = Counter(label: "chloe_api_server_errors_total")

    init(logger: Logger) {
        self.logger = logger
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            count(error.status)
            return APIError.response(status: error.status, message: error.message, headers: error.headers)
        } catch let error as HTTPError {
            count(error.status)
            return APIError.response(status: error.status, message: Self.message(error, request), headers: error.headers)
        } catch let error as any HTTPResponseError {
            count(error.status)
            return APIError.response(status: error.status, message: "\(error.status.reasonPhrase)")
        } catch let error as DecodingError {
            count(.badRequest)
            return APIError.response(status: .badRequest, message: "invalid request body: \(error)")
        } catch {
            count(.internalServerError)
            logger.error("request failed", metadata: ["http.method": "\(request.method)", "http.path": "\(request.uri.path)",
                                                      "error": "\(error)"])
            return APIError.response(status: .internalServerError, message: "internal error; see the daemon's log")
        }
    }

    private func count(_ status: HTTPResponse.Status) {
        if status.code >= 500 { serverErrors.increment() } else { clientErrors.increment() }
    }

    private static func message(_ error: HTTPError, _ request: Request) -> String {
        if let body = error.body { return body }
        switch error.status {
        case .notFound: return "no route \(request.method) \(request.uri.path); see docs/openapi.yaml"
        case .contentTooLarge: return "request body too large"
        case .methodNotAllowed: return "\(request.method) is not allowed on \(request.uri.path)"
        default: return error.status.reasonPhrase
        }
    }
}
