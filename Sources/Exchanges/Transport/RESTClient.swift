import AsyncHTTPClient
import NIOCore

/// The REST side of a connector (Binance depth snapshots, KuCoin's token and level2
/// snapshots), on one shared async-http-client.
struct RESTClient: Sendable {
    let client: HTTPClient
    let timeout: Duration
    /// Largest reply body accepted.
    var maximumBodySize = 64 << 20

    /// GETs `url` and returns the body of a 2xx reply.
    func get(_ url: String) async throws(TransportError) -> [UInt8] {
        try await send(HTTPClientRequest(url: url))
    }

    /// POSTs an empty body to `url` and returns the body of a 2xx reply.
    func post(_ url: String) async throws(TransportError) -> [UInt8] {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        return try await send(request)
    }

    private func send(_ request: HTTPClientRequest) async throws(TransportError) -> [UInt8] {
        let body: ByteBuffer
        let status: UInt
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
            status = response.status.code
            body = try await response.body.collect(upTo: maximumBodySize)
        } catch {
            throw .failed(request.url, error)
        }
        let bytes = Array(body.readableBytesView)
        guard (200..<300).contains(status) else { throw .httpStatus(request.url, Int(status), body: bytes) }
        return bytes
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 {
        let parts = components
        return parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
    }
}
