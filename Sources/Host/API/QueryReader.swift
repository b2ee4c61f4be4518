import Hummingbird

/// Reads and checks a request's query parameters; anything malformed or unknown is a 400 that
/// names the parameter.
struct QueryReader {
    private let parameters: [String: String]

    init(_ request: Request, allowed: Set<String>) throws {
        var parameters: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            let name = String(key)
            guard allowed.contains(name) else {
                throw APIError.badRequest("unknown query parameter '\(name)'; expected \(allowed.sorted().joined(separator: ", "))")
            }
            parameters[name] = String(value)
        }
        self.parameters = parameters
    }

    func string(_ name: String) throws -> String? {
        guard let value = parameters[name] else { return nil }
        guard !value.isEmpty, value.count <= 256 else { throw APIError.badRequest("query parameter '\(name)' must be 1 to 256 characters") }
        return value
    }

    func int(_ name: String, in range: ClosedRange<Int64> = Int64.min...Int64.max) throws -> Int64? {
        guard let text = parameters[name] else { return nil }
        guard let value = Int64(text) else { throw APIError.badRequest("query parameter '\(name)' must be a whole number, got '\(text.prefix(64))'") }
        guard range.contains(value) else {
            throw APIError.badRequest("query parameter '\(name)' must be in \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
        return value
    }

    func bool(_ name: String) throws -> Bool? {
        guard let text = parameters[name] else { return nil }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw APIError.badRequest("query parameter '\(name)' must be true or false, got '\(text.prefix(64))'")
        }
    }

    func level(_ name: String) throws -> SignalLevel? {
        guard let text = parameters[name] else { return nil }
        guard let level = SignalLevel(name: text) else {
            throw APIError.badRequest("query parameter '\(name)' must be strong_sell, sell, neutral, buy, strong_buy or unknown, got '\(text.prefix(64))'")
        }
        return level
    }

    func severity(_ name: String) throws -> AlertSeverity? {
        guard let text = parameters[name] else { return nil }
        guard let severity = AlertSeverity(rawValue: text) else {
            throw APIError.badRequest("query parameter '\(name)' must be info, warning or critical, got '\(text.prefix(64))'")
        }
        return severity
    }

    /// `limit`: 1 or more (default 100); above `SignalQuery.maximumLimit` it is reduced to it.
    func limit() throws -> Int {
        guard let value = try int("limit", in: 1...Int64.max) else { return 100 }
        return Int(min(value, Int64(SignalQuery.maximumLimit)))
    }
}
