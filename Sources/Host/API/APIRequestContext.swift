import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of every route (WebSocket-capable). It keeps the connection's channel,
/// so a `/realtime/ws` client's frames are written to it on its event loop
/// (``ClientFrameWriter``) instead of by a task through an asynchronous writer.
public struct APIRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    /// The connection's channel.
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        channel = source.channel
    }
}
