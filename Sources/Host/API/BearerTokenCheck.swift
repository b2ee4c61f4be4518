import Hummingbird

/// The bearer-token check of mutating routes (`RouteTable` applies it to every POST, PUT and
/// DELETE route it registers). Without a configured token they are refused (403), never open.
/// The comparison takes the same time wherever the first differing byte is.
struct BearerTokenCheck: Sendable {
    let token: [UInt8]?

    init(token: String?) {
        self.token = token.map { Array($0.utf8) }
    }

    /// Throws 403 (no token configured) or 401 (missing or wrong token).
    func authorize(_ request: Request) throws(APIError) {
        guard let token else {
            throw APIError(.forbidden, "mutating endpoints are disabled because no API token is configured; set api.token in the configuration file or CHLOE_API_TOKEN in the environment, then send 'Authorization: Bearer <token>'")
        }
        guard let header = request.headers[.authorization] else {
            throw APIError(.unauthorized, "missing 'Authorization: Bearer <token>' header", headers: [.wwwAuthenticate: "Bearer"])
        }
        let prefix = "bearer "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix,
              Self.constantTimeEqual(Array(header.utf8.dropFirst(prefix.count)), token) else {
            throw APIError(.unauthorized, "invalid bearer token", headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""])
        }
    }

    /// Compares in time that depends only on the lengths.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0 && a.count == b.count
    }
}

/// Refuses a request whose declared body is larger than the limit (413) before reading it;
/// handlers read bodies with the same limit, which catches chunked uploads.
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw APIError(.contentTooLarge, "request body of \(length) bytes is over the limit of \(maxBytes) bytes (api.max_body_bytes)")
        }
        return try await next(request, context)
    }
}
