/// KuCoin spot public market data (classic API): a token from `POST /api/v1/bullet-public`,
/// then `<endpoint>?token=...&connectId=...`; `welcome`, `ack`, `ping`/`pong`, topics such as
/// `/market/level2:BTC-USDT` synced with a REST snapshot by sequence numbers.
public enum KuCoin {}
