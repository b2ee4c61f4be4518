/// `api`: the REST and WebSocket server.
public struct APISettings: Sendable, Hashable {
    /// Address to bind; 127.0.0.1 keeps the API off the network.
    public var host: String = "127.0.0.1"
    /// TCP port; 0 picks a free one (the log says which).
    public var port: Int = 8080
    /// Bearer token for mutating endpoints; nil refuses them all (403).
    public var token: String?
    /// Origins allowed by CORS; empty turns CORS off.
    public var corsOrigins: [String] = []
    /// Largest request body accepted (413 above).
    public var maxBodyBytes: Int = 1 << 20
    /// Messages queued per WebSocket client before it is dropped as too slow.
    public var websocketQueueSize: Int = 1024

    public init() {}

    init(reading node: ConfigNode) throws {
        try node.expectKeys(["host", "port", "token", "cors_origins", "max_body_bytes", "websocket_queue_size"])
        host = try node.child("host").string(host)
        guard !host.isEmpty else { throw try node.child("host").error("must not be empty") }
        port = try node.child("port").int(port, in: 0...65535)
        token = try node.child("token").optionalString().flatMap { $0.isEmpty ? nil : $0 }
        corsOrigins = try node.child("cors_origins").stringList(corsOrigins)
        maxBodyBytes = try node.child("max_body_bytes").int(maxBodyBytes, in: 1024...(1 << 30))
        websocketQueueSize = try node.child("websocket_queue_size").int(websocketQueueSize, in: 1...1_000_000)
    }
}
