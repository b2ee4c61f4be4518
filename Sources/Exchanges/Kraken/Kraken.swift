/// Kraken spot WebSocket v2 public market data (`wss://ws.kraken.com/v2`): JSON-number prices,
/// `BASE/QUOTE` symbols with BTC (not XBT), books without sequence numbers but with a CRC32 of
/// the top ten levels after every message.
public enum Kraken {}
