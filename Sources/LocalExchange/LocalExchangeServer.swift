import Exchanges
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOPosix

/// A stand-in for one exchange on 127.0.0.1: a WebSocket + HTTP server (Hummingbird) that
/// speaks the exchange's real protocol. It answers subscribes with the exchange's own ack
/// shape (or its error for a symbol told to be refused), answers pings, sends heartbeats,
/// serves REST book snapshots and KuCoin's token, and sends whatever frames a test or
/// benchmark pushes. On cue it drops every connection, skips a sequence number (Coinbase),
/// sends garbage or goes silent. Like Binance, it closes a Binance connection that sends more
/// than 5 messages in a second.
///
/// ```swift
/// let server = LocalExchangeServer(exchange: .binance)
/// let port = try await server.start()
/// var configuration = Binance.ConnectorConfiguration(webSocketURL: server.webSocketURL, restURL: server.restURL)
/// ...
/// await server.push([frame])
/// await server.stop()
/// ```
public final class LocalExchangeServer: Sendable {
    public let exchange: Exchange
    public let configuration: Configuration
    let state: LocalExchangeState
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let running = LockedBox<Running?>(nil)

    private struct Running: Sendable {
        var port: Int
        var task: Task<Void, any Error>
        var heartbeats: Task<Void, Never>?
    }

    /// - Parameters:
    ///   - eventLoopGroup: where the server's sockets and its state live (the state on one loop
    ///     of it). A caller that pushes from a loop of its own passes a one-loop group of it, so
    ///     a pushed frame is written on the thread that pushed it, with no hop between threads.
    ///   - logger: the server's log; by default only critical messages (the HTTP server reports
    ///     its own cancellation at `stop()` as an error).
    public init(exchange: Exchange, configuration: Configuration = Configuration(),
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger? = nil) {
        precondition(exchange.isVenue, "the simulated exchange has no wire protocol to serve")
        self.exchange = exchange
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.state = LocalExchangeState(exchange: exchange, configuration: configuration, eventLoop: eventLoopGroup.next())
        self.logger = logger ?? {
            var quiet = Logger(label: "chloe.local-exchange")
            quiet.logLevel = .critical
            return quiet
        }()
    }

    /// Binds 127.0.0.1 on a free port and serves until ``stop()``; returns the port.
    @discardableResult
    public func start() async throws -> Int {
        let router = Router(context: BasicWebSocketRequestContext.self)
        addRoutes(to: router)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let ping: AutoPingSetup = exchange == .binance ? .enabled(timePeriod: configuration.webSocketPingInterval) : .disabled
        let app = Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: router,
                                           configuration: .init(ws: .init(maxFrameSize: 16 << 20, autoPing: ping,
                                                                          closeTimeout: .seconds(1)))),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "local-\(exchange)"),
            onServerRunning: { channel in
                portSink.yield(channel.localAddress?.port ?? 0)
                portSink.finish()
            },
            eventLoopGroupProvider: .shared(eventLoopGroup),
            logger: logger
        )
        let task = Task {
            defer { portSink.finish() }  // a server that fails to start reports no port
            try await app.run()
        }
        var port = 0
        for await bound in ports { port = bound }
        guard port > 0 else {
            task.cancel()
            throw LocalExchangeError("the \(exchange.displayName) stand-in could not bind 127.0.0.1")
        }
        await state.setPort(port)
        let heartbeats = configuration.heartbeatInterval.map { interval in
            Task { [state] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    await state.sendHeartbeats()
                }
            }
        }
        running.withLock { $0 = Running(port: port, task: task, heartbeats: heartbeats) }
        return port
    }

    /// Closes every connection and the server.
    public func stop() async {
        guard let current = running.withLock({ value -> Running? in
            defer { value = nil }
            return value
        }) else { return }
        current.heartbeats?.cancel()
        await state.closeAll()
        current.task.cancel()
        _ = await current.task.result
    }

    /// The port, once started.
    public var port: Int? { running.withLock { $0?.port } }

    /// The WebSocket URL a connector configuration takes: the base for Binance (which adds
    /// `/stream`), the full URL for Coinbase and Kraken (`/v2`). KuCoin's comes from its token.
    public var webSocketURL: String {
        let base = "ws://127.0.0.1:\(port ?? 0)"
        return exchange == .kraken ? base + "/v2" : base
    }

    /// The REST base URL (`http://127.0.0.1:<port>`).
    public var restURL: String { "http://127.0.0.1:\(port ?? 0)" }

    // MARK: Script

    /// Sends `frames`, in order, to every open connection (Coinbase frames get the
    /// connection's next `sequence_num`).
    public func push(_ frames: [String]) async { await state.broadcast(frames) }

    /// Sends `frames`, in order, only to the connections subscribed to `channel` for `symbol`
    /// (the names ``onSubscribe(_:channel:send:)`` takes), as the exchange routes a stream.
    public func push(_ frames: [String], channel: String, symbol: CanonicalSymbol) async {
        await state.send(frames, toSubscribersOf: LocalExchangeState.key(channel, symbol))
    }

    /// Sends bytes that are not JSON.
    public func pushGarbage() async { await state.broadcast(["{\"garbage\": <<not json>>"]) }

    /// Closes every open connection (clients see the close and reconnect).
    public func dropConnections() async { await state.closeAll() }

    /// Silent: nothing is sent (no acks, pongs, heartbeats or pushed frames) until unsilenced;
    /// requests still take effect (a subscription made meanwhile starts flowing afterwards).
    public func setSilent(_ silent: Bool) async { await state.setSilent(silent) }

    /// Coinbase: the next frame's `sequence_num` skips one number.
    public func skipSequenceNumber() async { await state.skipSequenceNumber() }

    /// Subscriptions naming these symbols are refused with the exchange's error.
    public func reject(_ symbols: [CanonicalSymbol]) async { await state.reject(symbols) }

    /// The REST book snapshot body for `symbol` (Binance depth, KuCoin level2).
    public func setSnapshot(_ body: String, for symbol: CanonicalSymbol) async { await state.setSnapshot(body, for: symbol) }

    /// Frames sent right after each acknowledged subscription of `symbol` to `channel` (the
    /// exchange's channel or topic name: Kraken `book`, Coinbase `level2`, KuCoin
    /// `/market/level2`, Binance `depth@100ms`), e.g. the book snapshot a real server sends.
    public func onSubscribe(_ symbol: CanonicalSymbol, channel: String, send frames: [String]) async {
        await state.onSubscribe(symbol, channel: channel, frames: frames)
    }

    /// Kraken: the precisions the `instrument` channel lists.
    public func setPrecision(price: Int, quantity: Int, for symbol: CanonicalSymbol) async {
        await state.setPrecision(price: price, quantity: quantity, for: symbol)
    }

    /// Every text message clients sent, in arrival order.
    public func received() async -> [String] { await state.log }

    /// Binance: connections closed for sending more than
    /// ``Configuration/binanceMessagesPerSecond``.
    public func rateLimitedConnections() async -> Int { await state.rateLimited }

    /// Connections accepted so far, and how many are open.
    public func connections() async -> (opened: Int, open: Int) { await state.connectionCounts }

    /// Waits until `condition` holds for the messages received (checked every few ms);
    /// throws after `timeout`.
    public func waitForMessages(timeout: Duration = .seconds(5),
                                _ condition: @Sendable ([String]) -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            let log = await state.log
            if condition(log) { return }
            guard ContinuousClock.now < deadline else {
                throw LocalExchangeError("timed out waiting for client messages; the last received: \(log.suffix(5))")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Waits until `opened` connections have been accepted and one is open.
    public func waitForConnections(_ opened: Int, timeout: Duration = .seconds(5)) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            let counts = await state.connectionCounts
            if counts.opened >= opened, counts.open > 0 { return }
            guard ContinuousClock.now < deadline else {
                throw LocalExchangeError("timed out waiting for connection \(opened); accepted \(counts.opened), open \(counts.open)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Waits until exactly `open` connections are open.
    public func waitForConnectionsOpen(_ open: Int, timeout: Duration = .seconds(5)) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            let counts = await state.connectionCounts
            if counts.open == open { return }
            guard ContinuousClock.now < deadline else {
                throw LocalExchangeError("timed out waiting for \(open) open connections; accepted \(counts.opened), open \(counts.open)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// A local server problem (could not bind, a wait timed out).
public struct LocalExchangeError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
