import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of every route (WebSocket-capable). It keeps the event loop of the
/// connection's channel, so a `/realtime/ws` client's frames can be written from that loop
/// (``RealtimeWebSocket``) instead of from a task that must hop onto it for every frame.
public struct APIRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    /// The loop the connection's channel lives on.
    public let eventLoop: any EventLoop

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        eventLoop = source.channel.eventLoop
    }
}
