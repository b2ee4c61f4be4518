/// Coinbase Advanced Trade public market data (`wss://advanced-trade-ws.coinbase.com`): one
/// channel per subscribe message, every frame numbered by a connection-wide `sequence_num`,
/// `level2` books arriving as `l2_data` with their own snapshot. The decoder also reads the
/// legacy Exchange feed (`wss://ws-feed.exchange.coinbase.com`).
public enum Coinbase {}
