import Exchanges
import Hummingbird
import HummingbirdWebSocket
import NIOCore

extension LocalExchangeServer {
    /// The WebSocket endpoint and the REST routes of this exchange.
    func addRoutes(to router: Router<BasicWebSocketRequestContext>) {
        let state = self.state
        switch exchange {
        case .binance:
            router.get("/api/v3/depth") { request, _ in
                await Self.snapshot(state, native: request.uri.queryParameters["symbol"].map(String.init))
            }
        case .kucoin:
            router.post("/api/v1/bullet-public") { _, _ in Self.json(await state.bulletPublic()) }
            router.get("/api/v1/market/orderbook/level2_100") { request, _ in
                await Self.snapshot(state, native: request.uri.queryParameters["symbol"].map(String.init))
            }
        case .coinbase, .kraken, .sim:
            break
        }
        let path: RouterPath = switch exchange {
        case .binance: "/stream"
        case .kraken: "/v2"
        default: "/"
        }
        router.ws(path) { inbound, outbound, context in
            let connectID = context.request.uri.queryParameters["connectId"].map(String.init)
            let client = await state.open(outbound, connectID: connectID)
            do {
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case let .text(text) = message else { continue }
                    await state.handle(text, from: client)
                }
            } catch {
                // The client went away; nothing to clean up beyond closing below.
            }
            await state.close(client)
        }
    }

    private static func snapshot(_ state: LocalExchangeState, native: String?) async -> Response {
        guard let native, let body = await state.snapshot(native: native) else {
            return json(#"{"code":-1121,"msg":"Invalid symbol."}"#, status: .badRequest)
        }
        return json(body)
    }

    static func json(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
