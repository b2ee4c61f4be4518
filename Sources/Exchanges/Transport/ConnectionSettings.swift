/// Transport tuning every connector shares, every field with a default. Each exchange's
/// connector configuration holds one.
public struct ConnectionSettings: Sendable, Equatable {
    /// Waits between reconnect attempts.
    public var backoff: ReconnectBackoff.Configuration
    /// Trade and ticker prices further than this from the symbol's recent price are dropped
    /// and counted; nil lets every price through.
    public var priceSpikeFilter: PriceSpikeFilter.Configuration?
    /// How feed health ages data and weighs incidents.
    public var health: FeedHealth.Configuration
    /// The largest WebSocket message accepted (a Coinbase level2 snapshot reaches 5 MB).
    public var maximumFrameSize: Int
    /// How often the connection checks for silence, sends due pings and retries snapshots.
    public var tickInterval: Duration
    /// The wait before asking again for a book snapshot whose request failed.
    public var snapshotRetryDelay: Duration
    /// The most time allowed for the WebSocket handshake and for each REST request.
    public var requestTimeout: Duration

    public init(backoff: ReconnectBackoff.Configuration = ReconnectBackoff.Configuration(),
                priceSpikeFilter: PriceSpikeFilter.Configuration? = PriceSpikeFilter.Configuration(),
                health: FeedHealth.Configuration = FeedHealth.Configuration(),
                maximumFrameSize: Int = 16 << 20,
                tickInterval: Duration = .milliseconds(250),
                snapshotRetryDelay: Duration = .seconds(1),
                requestTimeout: Duration = .seconds(10)) {
        self.backoff = backoff
        self.priceSpikeFilter = priceSpikeFilter
        self.health = health
        self.maximumFrameSize = maximumFrameSize
        self.tickInterval = tickInterval
        self.snapshotRetryDelay = snapshotRetryDelay
        self.requestTimeout = requestTimeout
    }
}
