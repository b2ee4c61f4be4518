import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// The exchange side of the socket benchmark: a WebSocket server speaking the part of Binance's
/// market-stream protocol the daemon's connector uses on a trades-only feed (`/stream`,
/// `SUBSCRIBE`/`UNSUBSCRIBE` answered with `{"result":null,"id":N}`, pings answered with
/// pongs, a close answered), writing each trade frame straight from its event loop with one
/// write and flush, as an exchange's gateway does.
///
/// The tests' fake exchange (`LocalExchangeServer`) speaks the whole protocol on Hummingbird's
/// asynchronous WebSocket API, which costs tens of microseconds of CPU per frame; on a machine
/// with few cores that CPU is taken from the daemon being measured and queues the very frames
/// being timed. This server costs a write and a flush per frame.
///
/// Everything runs on `loop`, the loop the caller sends from.
final class TradeFeedServer: Sendable {
    let loop: any EventLoop
    let port: Int
    private let channel: any Channel
    private let registry: NIOLoopBound<Registry>

    /// The connections and the streams they subscribed to; used on the loop only.
    final class Registry {
        var connections: [TradeFeedConnection] = []
        /// Completed when some connection has subscribed to `waitedStream`.
        var waiter: (stream: String, promise: EventLoopPromise<Void>)?

        func subscribed(_ streams: [String]) {
            if let waiter, streams.contains(waiter.stream) {
                self.waiter = nil
                waiter.promise.succeed()
            }
        }
    }

    /// Starts listening on 127.0.0.1, on a free port.
    static func start(on loop: any EventLoop) async throws -> TradeFeedServer {
        let registry = try await loop.submit { NIOLoopBound(Registry(), eventLoop: loop) }.get()
        let channel = try await ServerBootstrap(group: loop)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOTypedWebSocketServerUpgrader<Bool>(
                        maxFrameSize: 1 << 20,
                        shouldUpgrade: { channel, head in
                            channel.eventLoop.makeSucceededFuture(head.uri.hasPrefix("/stream") ? HTTPHeaders() : nil)
                        },
                        upgradePipelineHandler: { channel, _ in
                            channel.eventLoop.makeCompletedFuture {
                                let connection = TradeFeedConnection(registry: registry.value)
                                try channel.pipeline.syncOperations.addHandler(connection)
                                registry.value.connections.append(connection)
                                return true
                            }
                        })
                    let upgrade = NIOTypedHTTPServerUpgradeConfiguration<Bool>(
                        upgraders: [upgrader],
                        notUpgradingCompletionHandler: { channel in
                            // Only the WebSocket path is served (the feed needs no REST call).
                            channel.close(promise: nil)
                            return channel.eventLoop.makeSucceededFuture(false)
                        })
                    _ = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(
                        configuration: .init(upgradeConfiguration: upgrade))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else { throw BenchError(message: "the trade feed server has no port") }
        return TradeFeedServer(loop: loop, port: port, channel: channel, registry: registry)
    }

    private init(loop: any EventLoop, port: Int, channel: any Channel, registry: NIOLoopBound<Registry>) {
        self.loop = loop
        self.port = port
        self.channel = channel
        self.registry = registry
    }

    /// The base URL the connector is configured with (it appends `/stream`).
    var webSocketURL: String { "ws://127.0.0.1:\(port)" }

    /// Waits until a connection has subscribed to `stream`, e.g. `btcusdt@trade`.
    func waitForSubscription(to stream: String, timeout: TimeAmount) async throws {
        let registry = self.registry
        let subscribed = try await loop.submit { () -> EventLoopFuture<Void> in
            let registry = registry.value
            if registry.connections.contains(where: { $0.streams.contains(stream) }) { return self.loop.makeSucceededVoidFuture() }
            let promise = self.loop.makePromise(of: Void.self)
            registry.waiter = (stream, promise)
            self.loop.scheduleTask(in: timeout) {
                promise.fail(BenchError(message: "the daemon did not subscribe to \(stream) within \(timeout)"))
            }
            return promise.futureResult
        }.get()
        try await subscribed.get()
    }

    /// Writes `text` as one frame to every connection subscribed to `stream`. On the loop only.
    func send(_ text: ByteBuffer, stream: String) {
        for connection in registry.value.connections where connection.streams.contains(stream) {
            connection.send(text)
        }
    }

    func stop() async {
        try? await channel.close()
        try? await loop.submit { [registry] in
            for connection in registry.value.connections { connection.close() }
        }.get()
    }
}

/// One upgraded connection of ``TradeFeedServer``: answers the connector's requests and pings,
/// and writes trade frames when told to.
final class TradeFeedConnection: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let registry: TradeFeedServer.Registry
    private var context: ChannelHandlerContext?
    /// The streams subscribed to, e.g. `btcusdt@trade`.
    private(set) var streams: Set<String> = []

    init(registry: TradeFeedServer.Registry) {
        self.registry = registry
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        registry.connections.removeAll { $0 === self }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            request(frame.unmaskedData, context: context)
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .connectionClose:
            let close = WebSocketFrame(fin: true, opcode: .connectionClose, data: frame.unmaskedData)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(close)).whenComplete { _ in channel.close(promise: nil) }
        default:
            break
        }
    }

    /// `{"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":1}`: noted and answered.
    private func request(_ text: ByteBuffer, context: ChannelHandlerContext) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.readableBytesView)) as? [String: Any],
              let method = object["method"] as? String, let id = object["id"] as? Int else { return }
        let params = object["params"] as? [String] ?? []
        switch method {
        case "SUBSCRIBE":
            streams.formUnion(params)
            registry.subscribed(params)
        case "UNSUBSCRIBE":
            streams.subtract(params)
        default:
            break
        }
        let reply = ByteBuffer(string: #"{"result":null,"id":\#(id)}"#)
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: reply)), promise: nil)
    }

    func send(_ text: ByteBuffer) {
        guard let context else { return }
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: text)), promise: nil)
    }

    func close() { context?.close(promise: nil) }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}
