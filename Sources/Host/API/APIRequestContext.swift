import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The API's request context: Hummingbird's WebSocket-capable context plus the event loop of
/// the request's connection (a `/realtime/ws` client's sender runs on it).
public struct APIRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    /// The event loop of the connection the request came on.
    public let eventLoop: any EventLoop

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        eventLoop = source.channel.eventLoop
    }
}
