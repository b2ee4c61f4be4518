import Dispatch
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// The client side of the socket benchmark: a WebSocket client of `/realtime/ws` that hands
/// every text frame to `onText` in the channel handler that reads it, on its event loop, with
/// the time it was read; it answers pings and closes. Like ``TradeFeedServer``, it costs the
/// benchmark's core a read per frame rather than an asynchronous sequence's hops, so the
/// timestamps say when the frame arrived, not when a busy harness got to it.
enum FrameTimingClient {
    /// Connects and upgrades; `onText(frame, now)` is called on `loop` for every text frame.
    /// Returns the channel once upgraded (write with ``send(_:on:)``, close it to end).
    static func connect(host: String, port: Int, path: String, on loop: any EventLoop,
                        onText: @escaping @Sendable (ByteBuffer, UInt64) -> Void) async throws -> any Channel {
        let upgraded = try await ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let upgrader = NIOTypedWebSocketClientUpgrader<(any Channel)?>(
                        maxFrameSize: 1 << 24,
                        upgradePipelineHandler: { channel, _ in
                            channel.eventLoop.makeCompletedFuture {
                                try channel.pipeline.syncOperations.addHandler(TimingHandler(onText: onText))
                                return channel
                            }
                        })
                    var headers = HTTPHeaders()
                    headers.add(name: "Host", value: "\(host):\(port)")
                    let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)
                    let upgrade = NIOTypedHTTPClientUpgradeConfiguration<(any Channel)?>(
                        upgradeRequestHead: head, upgraders: [upgrader],
                        notUpgradingCompletionHandler: { channel in channel.eventLoop.makeSucceededFuture(nil) })
                    return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
                        configuration: .init(upgradeConfiguration: upgrade))
                }
            }
        guard let channel = try await upgraded.get() else {
            throw BenchError(message: "ws://\(host):\(port)\(path) refused the WebSocket upgrade")
        }
        return channel
    }

    /// Writes `text` as one masked text frame (a client's frames are masked).
    static func send(_ text: String, on channel: any Channel) {
        let frame = WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: ByteBuffer(string: text))
        channel.writeAndFlush(frame, promise: nil)
    }

    /// Reads the server's frames on the loop.
    final class TimingHandler: ChannelInboundHandler {
        typealias InboundIn = WebSocketFrame
        typealias OutboundOut = WebSocketFrame

        private let onText: @Sendable (ByteBuffer, UInt64) -> Void

        init(onText: @escaping @Sendable (ByteBuffer, UInt64) -> Void) {
            self.onText = onText
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let now = DispatchTime.now().uptimeNanoseconds
            let frame = unwrapInboundIn(data)
            switch frame.opcode {
            case .text:
                onText(frame.data, now)
            case .ping:
                let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.data)
                context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
            case .connectionClose:
                context.close(promise: nil)
            default:
                break
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
    }
}
