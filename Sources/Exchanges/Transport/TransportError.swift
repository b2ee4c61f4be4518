/// A connection or REST request that failed: the URL and what went wrong, in words a user can
/// act on (check the URL in the configuration, the network, the exchange's status page).
public struct TransportError: Error, Sendable, CustomStringConvertible {
    private enum Kind: Sendable {
        case httpStatus(Int, body: String)
        case failed(String)
        case invalidReply(String)
    }

    /// The URL that was asked.
    public let url: String
    private let kind: Kind

    /// The server answered with a non-2xx status; `body` is kept to ~200 bytes.
    static func httpStatus(_ url: String, _ status: Int, body: [UInt8]) -> TransportError {
        TransportError(url: url, kind: .httpStatus(status, body: excerpt(body)))
    }

    /// The request or connection could not be made.
    static func failed(_ url: String, _ error: any Error) -> TransportError {
        TransportError(url: url, kind: .failed(String(describing: error)))
    }

    /// The connection could not be made, for `reason`.
    static func failed(_ url: String, reason: String) -> TransportError {
        TransportError(url: url, kind: .failed(reason))
    }

    /// The reply could not be used (a REST body that does not decode).
    static func invalidReply(_ url: String, _ reason: String) -> TransportError {
        TransportError(url: url, kind: .invalidReply(reason))
    }

    /// The HTTP status, when the server answered with an error status.
    public var httpStatus: Int? {
        if case let .httpStatus(status, _) = kind { status } else { nil }
    }

    public var description: String {
        switch kind {
        case let .httpStatus(status, body): "\(url) answered HTTP \(status): \(body)"
        case let .failed(reason): "\(url) could not be reached: \(reason)"
        case let .invalidReply(reason): "\(url) sent a reply that could not be used: \(reason)"
        }
    }

    /// At most ~200 bytes of `bytes` as text, for logs and errors.
    static func excerpt(_ bytes: some Collection<UInt8>, limit: Int = 200) -> String {
        let text = String(decoding: bytes.prefix(limit), as: UTF8.self)
        return bytes.count > limit ? text + "…" : text
    }
}
