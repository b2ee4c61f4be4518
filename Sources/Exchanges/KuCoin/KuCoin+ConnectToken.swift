extension KuCoin {
    /// The reply to `POST /api/v1/bullet-public`: a token (valid 24 h; fetch a new one on every
    /// reconnect) and the servers to connect to.
    public struct ConnectToken: Sendable, Equatable {
        public struct Server: Sendable, Equatable {
            public var endpoint: String
            public var encrypt: Bool
            /// Send a ping this often, in milliseconds.
            public var pingInterval: Int64
            /// Treat the connection as dead when no pong arrives within this many milliseconds.
            public var pingTimeout: Int64
        }

        public var token: String
        public var servers: [Server]

        /// Reads the REST reply.
        public init(json body: [UInt8]) throws(ExchangeDecodeError) {
            var tape = JSONTape()
            let result = body.withUnsafeBytes { bytes in
                Result { () throws(ExchangeDecodeError) -> ConnectToken in try Self.read(bytes, &tape) }
            }
            self = try result.get()
        }

        private init(token: String, servers: [Server]) {
            self.token = token
            self.servers = servers
        }

        private static func read(_ bytes: UnsafeRawBufferPointer, _ tape: inout JSONTape) throws(ExchangeDecodeError) -> ConnectToken {
            do {
                try tape.parse(bytes)
            } catch {
                throw ExchangeDecodeError(.kucoin, error)
            }
            do {
                return try within("bullet-public") { () throws(FieldError) in
                    try tape.withDocument(bytes) { (d) throws(FieldError) -> ConnectToken in
                        let code = try d.identifier(d.required(d.root, "code"), "code")
                        guard code == "200000" else { throw FieldError("code", "is \(code), not 200000 (success)") }
                        let data = try d.requiredObject(d.root, "data")
                        var servers: [Server] = []
                        for server in d.elements(try d.requiredArray(data, "instanceServers")) {
                            servers.append(Server(endpoint: try d.requiredText(server, "endpoint"),
                                                  encrypt: try d.bool(d.required(server, "encrypt"), "encrypt"),
                                                  pingInterval: Int64(try d.requiredUnsigned(server, "pingInterval")),
                                                  pingTimeout: Int64(try d.requiredUnsigned(server, "pingTimeout"))))
                        }
                        guard !servers.isEmpty else { throw FieldError("instanceServers", "is empty") }
                        return ConnectToken(token: try d.requiredText(data, "token"), servers: servers)
                    }
                }
            } catch {
                throw ExchangeDecodeError(.kucoin, error)
            }
        }

        /// The WebSocket URL for server `index`: `<endpoint>?token=<token>&connectId=<id>`.
        public func url(server index: Int = 0, connectID: String) -> String {
            "\(servers[index].endpoint)?token=\(token)&connectId=\(connectID)"
        }
    }
}
