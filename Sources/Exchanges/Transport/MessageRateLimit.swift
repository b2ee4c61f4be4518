/// The most messages a connection may send within a window of time: exchanges count what a
/// client sends (Binance allows 5 a second, pongs included, and disconnects beyond that;
/// KuCoin 100 in 10 s; Coinbase 8 a second per IP). Messages over the limit wait their turn.
public struct MessageRateLimit: Sendable, Equatable {
    /// Messages allowed in any one window.
    public var messages: Int
    /// The window's length.
    public var window: Duration

    public init(messages: Int, per window: Duration) {
        self.messages = messages
        self.window = window
    }
}
