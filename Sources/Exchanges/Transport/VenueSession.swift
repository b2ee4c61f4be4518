/// One exchange's side of one WebSocket connection: what to send, how to read what comes
/// back, and how its books stay in sync. ``LiveConnector`` owns the socket, the timers, the
/// REST requests, feed health and reconnects, and drives a new session for every connection.
///
/// Every method appends what should happen next to a ``SessionOutput``; none blocks.
protocol VenueSession: Sendable {
    associatedtype Configuration: Sendable

    static var exchange: Exchange { get }

    /// Where and how to connect, asking REST first when the venue needs it (KuCoin's token).
    static func plan(_ configuration: Configuration, rest: RESTClient) async throws(TransportError) -> ConnectionPlan

    init(configuration: Configuration, plan: ConnectionPlan)

    /// Whether subscribed symbols get books (which start out of sync).
    static func keepsBooks(_ configuration: Configuration) -> Bool

    /// The most symbols one connection may carry (Binance: 1024 streams); nil for no limit.
    static func maximumSymbolsPerConnection(_ configuration: Configuration) -> Int?

    /// The socket is open; `symbols` are all the symbols wanted.
    mutating func opened(symbols: [CanonicalSymbol], into output: inout SessionOutput)

    /// Subscribes more symbols on the open connection.
    mutating func subscribe(_ symbols: [CanonicalSymbol], into output: inout SessionOutput)

    /// Unsubscribes symbols and forgets their books.
    mutating func unsubscribe(_ symbols: [CanonicalSymbol], into output: inout SessionOutput)

    /// Handles one frame.
    mutating func receive(_ frame: UnsafeRawBufferPointer, receivedAt: Int64,
                          into output: inout SessionOutput) throws(ExchangeDecodeError)

    /// The REST URL of `symbol`'s book snapshot, for venues that sync books from one.
    func snapshotURL(for symbol: CanonicalSymbol) -> String?

    /// Handles a REST book snapshot asked for through ``SessionOutput/requestSnapshot(_:)``.
    mutating func receiveSnapshot(_ body: [UInt8], for symbol: CanonicalSymbol, receivedAt: Int64,
                                  into output: inout SessionOutput) throws(ExchangeDecodeError)

    /// The application-level ping to send now (KuCoin, Kraken); nil where the venue has none.
    mutating func ping() -> String?

    /// `symbol`'s book as of the last event emitted, or nil when it is not kept or not in sync.
    func book(for symbol: CanonicalSymbol) -> OrderBook?
}

extension VenueSession {
    static func keepsBooks(_ configuration: Configuration) -> Bool { true }
    static func maximumSymbolsPerConnection(_ configuration: Configuration) -> Int? { nil }
    func snapshotURL(for symbol: CanonicalSymbol) -> String? { nil }
    mutating func receiveSnapshot(_ body: [UInt8], for symbol: CanonicalSymbol, receivedAt: Int64,
                                  into output: inout SessionOutput) throws(ExchangeDecodeError) {}
    mutating func ping() -> String? { nil }
}

/// How to open one connection.
struct ConnectionPlan: Sendable {
    /// The WebSocket URL (`wss://...`; `ws://` for local servers).
    var url: String
    /// Close the connection when no frame arrives for this long.
    var silenceTimeout: Duration
    /// Send ``VenueSession/ping()`` this often.
    var pingInterval: Duration?
    /// Reconnect on our own before the server cuts the connection (Binance: 24 h).
    var maximumAge: Duration?
    /// The most messages to send per window; more wait their turn.
    var sendLimit: MessageRateLimit? = nil
}

/// What a session asks its connector to do, collected per input and carried out in order.
struct SessionOutput: Sendable {
    /// Events for the sink.
    var events: [MarketEvent] = []
    /// Text messages to send.
    var messages: [String] = []
    /// Symbols whose REST book snapshot should be fetched.
    var snapshots: [CanonicalSymbol] = []
    /// Incidents for feed health; a nil symbol counts for every symbol of the connection.
    var incidents: [(symbol: CanonicalSymbol?, incident: FeedIncident)] = []
    /// Books that went in or out of sync.
    var bookSync: [(symbol: CanonicalSymbol, inSync: Bool)] = []
    /// Books that had to be dropped, and why (logged).
    var resyncs: [(symbol: CanonicalSymbol, problem: BookSyncProblem)] = []
    /// Symbols the exchange refused, with its reason: dropped, the others carry on.
    var rejected: [(symbol: CanonicalSymbol, reason: String)] = []
    /// Set to close the connection and reconnect, with the reason.
    var reconnect: String?

    mutating func emit(_ event: MarketEvent) { events.append(event) }
    mutating func send(_ message: String) { messages.append(message) }
    mutating func requestSnapshot(_ symbol: CanonicalSymbol) { snapshots.append(symbol) }
    mutating func record(_ incident: FeedIncident, for symbol: CanonicalSymbol?) { incidents.append((symbol, incident)) }
    mutating func setBook(_ symbol: CanonicalSymbol, inSync: Bool) { bookSync.append((symbol, inSync)) }

    /// A book was dropped for `problem`: counts the problem's incident and marks it out of sync.
    mutating func resync(_ symbol: CanonicalSymbol, _ problem: BookSyncProblem) {
        record(problem.incident, for: symbol)
        setBook(symbol, inSync: false)
        resyncs.append((symbol, problem))
    }

    var isEmpty: Bool {
        events.isEmpty && messages.isEmpty && snapshots.isEmpty && incidents.isEmpty && bookSync.isEmpty
            && resyncs.isEmpty && rejected.isEmpty && reconnect == nil
    }

    mutating func removeAll() {
        events.removeAll(keepingCapacity: true)
        messages.removeAll(keepingCapacity: true)
        snapshots.removeAll(keepingCapacity: true)
        incidents.removeAll(keepingCapacity: true)
        bookSync.removeAll(keepingCapacity: true)
        resyncs.removeAll(keepingCapacity: true)
        rejected.removeAll(keepingCapacity: true)
        reconnect = nil
    }
}
