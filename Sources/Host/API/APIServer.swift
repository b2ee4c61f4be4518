import Hummingbird
import HummingbirdWebSocket
import Logging

/// Builds the REST + WebSocket application; `chloe run` runs it and tests drive it with
/// HummingbirdTesting.
public func buildApplication(settings: APISettings, services: APIServices, logger: Logger,
                             onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
    -> some ApplicationProtocol {
    let router = APIServer(settings: settings, services: services, logger: logger).buildRouter().router
    return Application(
        router: router,
        server: .http1WebSocketUpgrade(webSocketRouter: router, configuration: .init(ws: .init(maxFrameSize: 1 << 16))),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "chloe"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? settings.port) },
        logger: logger
    )
}

/// The routes and their middleware.
struct APIServer: Sendable {
    let settings: APISettings
    let services: APIServices
    let logger: Logger

    /// The router and the list of routes it has.
    func buildRouter() -> (router: Router<APIRequestContext>, routes: [APIRoute]) {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: JSONErrorMiddleware(logger: logger))
        if !settings.corsOrigins.isEmpty {
            router.add(middleware: AllowedOriginsMiddleware(origins: settings.corsOrigins))
        }
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: BodyLimitMiddleware(maxBytes: settings.maxBodyBytes))
        var table = RouteTable(router: router, auth: BearerTokenCheck(token: settings.token))
        addRoutes(to: &table)
        return (router, table.routes)
    }
}

/// Registers routes on a router and remembers them; mutating routes (POST, PUT, DELETE) check
/// the bearer token before their handler runs.
struct RouteTable {
    let router: Router<APIRequestContext>
    let auth: BearerTokenCheck
    private(set) var routes: [APIRoute] = []

    init(router: Router<APIRequestContext>, auth: BearerTokenCheck) {
        self.router = router
        self.auth = auth
    }

    mutating func on(_ method: HTTPRequest.Method, _ path: String,
                     _ handler: @escaping @Sendable (Request, APIRequestContext) async throws -> Response) {
        if [.post, .put, .delete, .patch].contains(method) {
            let auth = auth
            router.on(RouterPath(path), method: method) { request, context in
                try auth.authorize(request)
                return try await handler(request, context)
            }
        } else {
            router.on(RouterPath(path), method: method, use: handler)
        }
        routes.append(APIRoute(method: method.rawValue, path: path))
    }

    /// A WebSocket route; a plain GET without the upgrade headers gets 426.
    mutating func webSocket(_ path: String, _ handler: @escaping WebSocketDataHandler<WebSocketRouterContext<APIRequestContext>>) {
        router.ws(RouterPath(path), shouldUpgrade: { request, _ in
            guard request.headers[.upgrade]?.lowercased() == "websocket" else {
                throw APIError(.upgradeRequired, "\(path) is a WebSocket endpoint; connect with a WebSocket client (Upgrade: websocket)",
                               headers: [.upgrade: "websocket"])
            }
            return .upgrade([:])
        }, onUpgrade: handler)
        routes.append(APIRoute(method: "GET", path: path))
    }
}
