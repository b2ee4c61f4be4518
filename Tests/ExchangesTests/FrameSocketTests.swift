@testable import Exchanges
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket
import Testing

/// The connectors' WebSocket transport against a small server of the test's own, on loopback,
/// in plain text and over TLS with a certificate made for the test.
@Suite struct FrameSocketTests {
    @Test func joinsFragmentsAnswersPingsSendsAndReportsTheServersClose() async throws {
        let server = try await ScriptedServer.start(tls: nil)
        let received = NIOLockedValueBox<[String]>([])
        let ended = NIOLockedValueBox<String?>(nil)
        let socket = try await FrameSocket.connect(
            to: "ws://127.0.0.1:\(server.port)/stream?streams=a", maximumFrameSize: 1 << 20, tls: .makeClientConfiguration(),
            timeout: .seconds(5), on: server.loop,
            frames: { buffer in received.withLockedValue { $0.append(String(buffer: buffer)) } },
            ended: { reason in ended.withLockedValue { $0 = $0 ?? reason } })
        try await socket.send(#"{"method":"SUBSCRIBE"}"#)
        try await server.waitUntil { $0.requests.contains(#"{"method":"SUBSCRIBE"}"#) && $0.pongs == ["p1"] }
        #expect(server.state.withLockedValue { $0.path } == "/stream?streams=a")
        // The server's greeting came in two fragments, then a ping (answered), then a message.
        #expect(received.withLockedValue { $0 } == ["hello, world", "after the ping"])
        server.close(code: .policyViolation)
        try await waitFor { ended.withLockedValue { $0 } != nil }
        #expect(ended.withLockedValue { $0 } == "the server closed the connection (1008)")
        await server.stop()
    }

    @Test func speaksTLSToAServerItTrustsAndRefusesOneItDoesNot() async throws {
        let certificate = try TestCertificate.make()
        let server = try await ScriptedServer.start(tls: certificate)
        let received = NIOLockedValueBox<[String]>([])
        var trusting = TLSConfiguration.makeClientConfiguration()
        trusting.trustRoots = .certificates([certificate.certificate])
        let socket = try await FrameSocket.connect(
            to: "wss://localhost:\(server.port)/stream", maximumFrameSize: 1 << 20, tls: trusting, timeout: .seconds(5), on: server.loop,
            frames: { buffer in received.withLockedValue { $0.append(String(buffer: buffer)) } }, ended: { _ in })
        try await waitFor { received.withLockedValue { $0.count } == 2 }
        #expect(received.withLockedValue { $0 } == ["hello, world", "after the ping"])
        await socket.close()

        // The system's trust roots do not know the test's certificate: no connection.
        await #expect(throws: TransportError.self) {
            _ = try await FrameSocket.connect(
                to: "wss://localhost:\(server.port)/stream", maximumFrameSize: 1 << 20, tls: .makeClientConfiguration(),
                timeout: .seconds(5), on: server.loop, frames: { _ in }, ended: { _ in })
        }
        await server.stop()
    }

    @Test func refusesAURLThatIsNotAWebSocketOne() async throws {
        await #expect(throws: TransportError.self) {
            _ = try await FrameSocket.connect(to: "https://127.0.0.1/stream", maximumFrameSize: 1 << 20, tls: .makeClientConfiguration(),
                                              timeout: .seconds(1), on: MultiThreadedEventLoopGroup.singleton.next(),
                                              frames: { _ in }, ended: { _ in })
        }
    }

    private func waitFor(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition())
    }
}

/// A self-signed certificate for `localhost` (and 127.0.0.1), made with the `openssl` tool.
struct TestCertificate {
    let certificate: NIOSSLCertificate
    let key: NIOSSLPrivateKey

    static func make() throws -> TestCertificate {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chloe-tls-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                             "-keyout", folder.appendingPathComponent("key.pem").path, "-out", folder.appendingPathComponent("cert.pem").path,
                             "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestCertificateError() }
        guard let certificate = try NIOSSLCertificate.fromPEMFile(folder.appendingPathComponent("cert.pem").path).first else {
            throw TestCertificateError()
        }
        return TestCertificate(certificate: certificate,
                               key: try NIOSSLPrivateKey(file: folder.appendingPathComponent("key.pem").path, format: .pem))
    }
}

struct TestCertificateError: Error, CustomStringConvertible {
    var description: String { "openssl could not make the test's certificate (is the openssl tool installed?)" }
}

/// A WebSocket server that, once a client has upgraded, sends "hello, world" in two fragments,
/// a ping and "after the ping"; it notes the path, the client's text messages and pongs.
final class ScriptedServer: Sendable {
    struct State {
        var path = ""
        var requests: [String] = []
        var pongs: [String] = []
        var connection: (any Channel)?
    }

    let loop: any EventLoop
    let port: Int
    /// Written by the connection's handlers.
    let state: NIOLockedValueBox<State>
    private let channel: any Channel

    private init(loop: any EventLoop, port: Int, channel: any Channel, state: NIOLockedValueBox<State>) {
        self.loop = loop
        self.port = port
        self.channel = channel
        self.state = state
    }

    static func start(tls certificate: TestCertificate?) async throws -> ScriptedServer {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let context = try certificate.map {
            try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: [.certificate($0.certificate)], privateKey: .privateKey($0.key)))
        }
        let state = NIOLockedValueBox(State())
        let channel = try await ServerBootstrap(group: loop)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let context { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context)) }
                    let upgrader = NIOTypedWebSocketServerUpgrader<Void>(
                        shouldUpgrade: { channel, head in
                            state.withLockedValue { $0.path = head.uri }
                            return channel.eventLoop.makeSucceededFuture(HTTPHeaders())
                        },
                        upgradePipelineHandler: { channel, _ in
                            channel.eventLoop.makeCompletedFuture {
                                try channel.pipeline.syncOperations.addHandler(ScriptedConnection(state: state))
                                state.withLockedValue { $0.connection = channel }
                            }
                        })
                    let upgrade = NIOTypedHTTPServerUpgradeConfiguration<Void>(
                        upgraders: [upgrader], notUpgradingCompletionHandler: { channel in channel.close() })
                    _ = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(
                        configuration: .init(upgradeConfiguration: upgrade))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return ScriptedServer(loop: loop, port: channel.localAddress?.port ?? 0, channel: channel, state: state)
    }

    private var current: State { state.withLockedValue { $0 } }

    func waitUntil(_ condition: (State) -> Bool) async throws {
        for _ in 0..<500 where !condition(current) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition(current))
    }

    /// Sends a close frame with `code` to the connected client.
    func close(code: WebSocketErrorCode) {
        guard let connection = current.connection else { return }
        var data = ByteBuffer()
        data.write(webSocketErrorCode: code)
        connection.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, data: data), promise: nil)
    }

    func stop() async {
        current.connection?.close(promise: nil)
        try? await channel.close()
    }
}

/// One upgraded connection of ``ScriptedServer``.
final class ScriptedConnection: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    private let state: NIOLockedValueBox<ScriptedServer.State>

    init(state: NIOLockedValueBox<ScriptedServer.State>) {
        self.state = state
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // A greeting, as some exchanges send on connect, once the upgrade has completed here
        // (the HTTP handlers leave the pipeline after this handler is added).
        let channel = context.channel
        context.eventLoop.scheduleTask(in: .milliseconds(20)) {
            func frame(_ fin: Bool, _ opcode: WebSocketOpcode, _ text: String) -> WebSocketFrame {
                WebSocketFrame(fin: fin, opcode: opcode, data: ByteBuffer(string: text))
            }
            channel.write(frame(false, .text, "hello, "), promise: nil)
            channel.write(frame(true, .continuation, "world"), promise: nil)
            channel.write(frame(true, .ping, "p1"), promise: nil)
            channel.writeAndFlush(frame(true, .text, "after the ping"), promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        let text = String(buffer: frame.unmaskedData)
        switch frame.opcode {
        case .text: state.withLockedValue { $0.requests.append(text) }
        case .pong: state.withLockedValue { $0.pongs.append(text) }
        case .connectionClose: context.close(promise: nil)
        default: break
        }
    }
}
