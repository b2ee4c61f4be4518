import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket

/// A connector's WebSocket connection, with its frames handled in channel handlers on the
/// socket's event loop: a whole message (fragments joined by NIO's aggregator) is handed to
/// `frames` in the same turn of the loop that read it, with no asynchronous sequence, task or
/// thread in between. Pings are answered, a close from the server is answered and ends the
/// connection; `ended` is told why the connection ended, once.
///
/// `ws://` and `wss://` URLs (TLS through NIOSSL, with the host name for SNI and certificate
/// checks unless the host is an IP address). The connectors use it, and so does the socket
/// benchmark's client.
public final class FrameSocket: Sendable {
    private let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Connects and upgrades to WebSocket within `timeout`.
    /// - Parameters:
    ///   - frames: each message's bytes (text or binary), on the socket's loop.
    ///   - ended: why the connection ended (the server closed it, it failed), once, on the loop.
    public static func connect(to url: String, maximumFrameSize: Int, tls: TLSConfiguration = .makeClientConfiguration(),
                               timeout: Duration, on loop: any EventLoop,
                               frames: @escaping @Sendable (ByteBuffer) -> Void,
                               ended: @escaping @Sendable (String) -> Void) async throws(TransportError) -> FrameSocket {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "ws" || scheme == "wss",
              let host = parsed.host, !host.isEmpty else {
            throw .failed(url, reason: "not a ws:// or wss:// URL")
        }
        let secure = scheme == "wss"
        let port = parsed.port ?? (secure ? 443 : 80)
        let path = parsed.path.isEmpty ? "/" : parsed.path
        let target = parsed.query.map { path + "?" + $0 } ?? path
        let hostHeader = parsed.port.map { "\(host):\($0)" } ?? host
        let context: NIOSSLContext?
        do {
            context = secure ? try NIOSSLContext(configuration: tls) : nil
        } catch {
            throw .failed(url, reason: "TLS set-up failed: \(error)")
        }
        let serverName = Self.isAddress(host) ? nil : host
        let limit = TimeAmount.nanoseconds(timeout.nanoseconds)
        do {
            let (channel, upgraded) = try await ClientBootstrap(group: loop)
                .connectTimeout(limit)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        if let context {
                            try pipeline.addHandler(try NIOSSLClientHandler(context: context, serverHostname: serverName))
                        }
                        let upgrader = NIOTypedWebSocketClientUpgrader<Bool>(
                            maxFrameSize: maximumFrameSize,
                            upgradePipelineHandler: { channel, _ in
                                channel.eventLoop.makeCompletedFuture {
                                    let pipeline = channel.pipeline.syncOperations
                                    try pipeline.addHandler(NIOWebSocketFrameAggregator(
                                        minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 1 << 16,
                                        maxAccumulatedFrameSize: maximumFrameSize))
                                    try pipeline.addHandler(FrameSocketHandler(frames: frames, ended: ended))
                                    return true
                                }
                            })
                        var headers = HTTPHeaders()
                        headers.add(name: "Host", value: hostHeader)
                        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target, headers: headers)
                        let upgrade = NIOTypedHTTPClientUpgradeConfiguration<Bool>(
                            upgradeRequestHead: head, upgraders: [upgrader],
                            notUpgradingCompletionHandler: { channel in channel.eventLoop.makeSucceededFuture(false) })
                        let result = try pipeline.configureUpgradableHTTPClientPipeline(configuration: .init(upgradeConfiguration: upgrade))
                        return (channel, result)
                    }
                }
            let timer = loop.scheduleTask(in: limit) {
                channel.close(promise: nil)
            }
            defer { timer.cancel() }
            guard try await upgraded.get() else {
                channel.close(promise: nil)
                throw TransportError.failed(url, reason: "the server refused the WebSocket upgrade")
            }
            return FrameSocket(channel: channel)
        } catch let error as TransportError {
            throw error
        } catch {
            throw .failed(url, error)
        }
    }

    /// Sends `text` as one masked text frame (a client's frames are masked).
    public func send(_ text: String) async throws {
        let frame = WebSocketFrame(fin: true, opcode: .text, maskKey: .random(), data: ByteBuffer(string: text))
        try await channel.writeAndFlush(frame)
    }

    /// Closes with 1000: sends the close frame and waits up to a second for the server's
    /// answer, then closes the socket.
    public func close() async {
        var data = channel.allocator.buffer(capacity: 2)
        data.write(webSocketErrorCode: .normalClosure)
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: data)
        let channel = channel
        channel.writeAndFlush(frame, promise: nil)
        let timer = channel.eventLoop.scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
        try? await channel.closeFuture.get()
        timer.cancel()
    }

    private static func isAddress(_ host: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host.trimmingCharacters(in: ["[", "]"]), &v6) == 1
    }
}

/// The end of a ``FrameSocket``'s pipeline: hands messages on, answers pings and closes.
final class FrameSocketHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let frames: @Sendable (ByteBuffer) -> Void
    private let ended: @Sendable (String) -> Void
    private var endReason: String?

    init(frames: @escaping @Sendable (ByteBuffer) -> Void, ended: @escaping @Sendable (String) -> Void) {
        self.frames = frames
        self.ended = ended
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .binary:
            frames(frame.unmaskedData)
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            var data = frame.unmaskedData
            let code = data.readWebSocketErrorCode()
            end("the server closed the connection" + (code.map { " (\(UInt16(webSocketErrorCode: $0)))" } ?? ""))
            // The answer echoes the code (a close without one gets one without one).
            var echo = context.channel.allocator.buffer(capacity: 2)
            if let code { echo.write(webSocketErrorCode: code) }
            let reply = WebSocketFrame(fin: true, opcode: .connectionClose, maskKey: .random(), data: echo)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(reply)).whenComplete { _ in channel.close(promise: nil) }
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        end("the server closed the connection")
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        end("the connection failed: \(error)")
        context.close(promise: nil)
    }

    private func end(_ reason: String) {
        guard endReason == nil else { return }
        endReason = reason
        ended(reason)
    }
}
