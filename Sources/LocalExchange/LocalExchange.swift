/// Local stand-ins for the exchanges: WebSocket + HTTP servers on loopback that speak each
/// exchange's real protocol from recorded frames, for tests, benchmarks and demos.
public enum LocalExchange {}
