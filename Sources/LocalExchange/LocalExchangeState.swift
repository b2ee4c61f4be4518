import Exchanges
import Foundation
import HummingbirdWebSocket
import NIOCore

/// Everything a ``LocalExchangeServer`` knows: its open connections and what each
/// subscribed, and the script (refused symbols, snapshots, silence, sequence skips).
actor LocalExchangeState {
    struct Client {
        let outbound: WebSocketOutboundWriter
        /// Coinbase: the next `sequence_num`.
        var sequence: UInt64 = 0
        /// `channel|BASE/QUOTE` keys.
        var subscriptions: Set<String> = []
        /// Whether heartbeats go to this client.
        var heartbeats = false
        /// When its messages of the last second arrived (Binance's rate limit).
        var arrivals: [ContinuousClock.Instant] = []
    }

    let exchange: Exchange
    let configuration: LocalExchangeServer.Configuration
    private(set) var port = 0
    private var clients: [Int: Client] = [:]
    private var opened = 0
    private var silent = false
    private var skipNext = false
    private var rejected: Set<CanonicalSymbol> = []
    private var snapshots: [CanonicalSymbol: String] = [:]
    private var subscribeFrames: [String: [String]] = [:]
    private var precisions: [CanonicalSymbol: (price: Int, quantity: Int)] = [:]
    private var heartbeatCounter = 0
    private var tokens = 0
    /// Connections closed for sending too fast.
    private(set) var rateLimited = 0
    /// Every text message received, in order.
    private(set) var log: [String] = []

    /// The event loop the state runs on, as its serial executor (kept: a loop that is not one
    /// itself hands out a new wrapper each time it is asked).
    private let executor: any SerialExecutor

    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    init(exchange: Exchange, configuration: LocalExchangeServer.Configuration, eventLoop: any EventLoop) {
        self.exchange = exchange
        self.configuration = configuration
        executor = eventLoop.executor
    }

    var connectionCounts: (opened: Int, open: Int) { (opened, clients.count) }

    func setPort(_ port: Int) { self.port = port }
    func setSilent(_ silent: Bool) { self.silent = silent }
    func skipSequenceNumber() { skipNext = true }
    func reject(_ symbols: [CanonicalSymbol]) { rejected.formUnion(symbols) }
    func setSnapshot(_ body: String, for symbol: CanonicalSymbol) { snapshots[symbol] = body }
    func onSubscribe(_ symbol: CanonicalSymbol, channel: String, frames: [String]) { subscribeFrames[Self.key(channel, symbol)] = frames }
    func setPrecision(price: Int, quantity: Int, for symbol: CanonicalSymbol) { precisions[symbol] = (price, quantity) }

    static func key(_ channel: String, _ symbol: CanonicalSymbol) -> String { "\(channel)|\(symbol)" }

    // MARK: Connections

    func open(_ outbound: WebSocketOutboundWriter, connectID: String?) async -> Int {
        opened += 1
        let id = opened
        clients[id] = Client(outbound: outbound)
        switch exchange {
        case .kraken:
            await send(#"{"channel":"status","data":[{"api_version":"v2","connection_id":13834774380200032777,"system":"online","version":"2.0.0"}],"type":"update"}"#, to: id)
        case .kucoin:
            await send(#"{"id":"\#(connectID ?? "local")","type":"welcome"}"#, to: id)
        default:
            break
        }
        return id
    }

    func close(_ id: Int) { clients[id] = nil }

    func closeAll() async {
        for client in clients.values {
            try? await client.outbound.close(.goingAway, reason: "dropped by the local exchange")
        }
    }

    /// Sends one frame to one client, unless silent; Coinbase frames are renumbered.
    func send(_ frame: String, to id: Int) async {
        guard !silent, var client = clients[id] else { return }
        var text = frame
        if exchange == .coinbase, let range = Self.sequenceNumberRange(in: text) {
            if skipNext {
                client.sequence += 1
                skipNext = false
            }
            text.replaceSubrange(range, with: String(client.sequence))
            client.sequence += 1
            clients[id] = client
        }
        try? await client.outbound.writeTextMessage(text)
    }

    func broadcast(_ frames: [String]) async {
        for id in clients.keys.sorted() {
            for frame in frames { await send(frame, to: id) }
        }
    }

    func send(_ frames: [String], toSubscribersOf key: String) async {
        for id in clients.keys.sorted() where clients[id]?.subscriptions.contains(key) == true {
            for frame in frames { await send(frame, to: id) }
        }
    }

    func sendHeartbeats() async {
        heartbeatCounter += 1
        for (id, client) in clients where client.heartbeats {
            switch exchange {
            case .coinbase:
                await send(#"{"channel":"heartbeats","client_id":"","timestamp":"2026-08-09T21:05:49.000000000Z","sequence_num":0,"events":[{"current_time":"2026-08-09 21:05:49.000000000 +0000 UTC m=+1.000000001","heartbeat_counter":\#(heartbeatCounter)}]}"#, to: id)
            case .kraken:
                await send(#"{"channel":"heartbeat"}"#, to: id)
            default:
                break
            }
        }
    }

    /// The digits after `"sequence_num":`.
    private static func sequenceNumberRange(in text: String) -> Range<String.Index>? {
        guard let label = text.range(of: "\"sequence_num\":") else { return nil }
        let digits = text[label.upperBound...].prefix { $0.isNumber }
        return label.upperBound..<digits.endIndex
    }

    // MARK: Messages

    func handle(_ text: String, from id: Int) async {
        log.append(text)
        if exchange == .binance, let limit = configuration.binanceMessagesPerSecond, var client = clients[id] {
            let now = ContinuousClock.now
            client.arrivals.removeAll { now - $0 >= .seconds(1) }
            client.arrivals.append(now)
            clients[id] = client
            if client.arrivals.count > limit {
                rateLimited += 1
                try? await client.outbound.close(.policyViolation, reason: "Too many requests")
                return
            }
        }
        // Silent or not, the request takes effect; a silent server just sends no answer.
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else { return }
        let replies: [String] = switch exchange {
        case .binance: binanceReplies(object, client: id)
        case .coinbase: coinbaseReplies(object, client: id)
        case .kraken: krakenReplies(object, client: id)
        case .kucoin: kucoinReplies(object, client: id)
        case .sim: []
        }
        for reply in replies { await send(reply, to: id) }
    }

    /// Records a subscription and returns the frames scripted for it.
    func subscribed(_ client: Int, _ channel: String, _ symbol: CanonicalSymbol) -> [String] {
        clients[client]?.subscriptions.insert(Self.key(channel, symbol))
        return subscribeFrames[Self.key(channel, symbol)] ?? []
    }

    func unsubscribed(_ client: Int, _ channel: String, _ symbol: CanonicalSymbol) {
        clients[client]?.subscriptions.remove(Self.key(channel, symbol))
    }

    func isRejected(_ symbol: CanonicalSymbol) -> Bool { rejected.contains(symbol) }

    func setHeartbeats(_ client: Int) { clients[client]?.heartbeats = true }

    func receivesHeartbeats(_ client: Int) -> Bool { clients[client]?.heartbeats ?? false }

    func subscriptions(of client: Int) -> Set<String> { clients[client]?.subscriptions ?? [] }

    var listedPrecisions: [(CanonicalSymbol, (price: Int, quantity: Int))] {
        precisions.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    // MARK: REST

    func snapshot(native: String) -> String? {
        let symbol = exchange == .binance ? Binance.Symbols().canonical(native: native) : CanonicalSymbol(native)
        return symbol.flatMap { snapshots[$0] }
    }

    func bulletPublic() -> String {
        tokens += 1
        let interval = Int(configuration.kucoinPingInterval.components.seconds * 1000
            + configuration.kucoinPingInterval.components.attoseconds / 1_000_000_000_000_000)
        let timeout = Int(configuration.kucoinPingTimeout.components.seconds * 1000
            + configuration.kucoinPingTimeout.components.attoseconds / 1_000_000_000_000_000)
        return #"{"code":"200000","data":{"token":"local-token-\#(tokens)","instanceServers":[{"endpoint":"ws://127.0.0.1:\#(port)/","encrypt":false,"protocol":"websocket","pingInterval":\#(interval),"pingTimeout":\#(timeout)}]}}"#
    }
}
