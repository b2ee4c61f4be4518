/// Binance spot public market data: `wss://stream.binance.com:9443`, combined streams
/// (`/stream?streams=...`) delivered as `{"stream":..., "data":...}`, depth books synced with
/// the REST snapshot (`GET /api/v3/depth`) by `lastUpdateId` / `U` / `u`.
public enum Binance {}
