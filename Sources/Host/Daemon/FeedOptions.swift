/// The `options` of one feed, read key by key: every value is checked as it is read, and a key
/// no reader asked for is an error (so a misspelt option never silently keeps its default).
struct FeedOptions {
    private let values: [String: String]
    private let exchange: String
    private var known: [String] = []

    init(_ feed: FeedSettings) {
        values = feed.options
        exchange = feed.exchange.rawValue
    }

    /// A text option (an endpoint URL, a folder).
    mutating func text(_ key: String) -> String? {
        known.append(key)
        return values[key]
    }

    /// A `ws://`/`wss://` (or `http://`/`https://`) URL without a trailing slash.
    mutating func url(_ key: String, schemes: [String]) throws(ConfigurationError) -> String? {
        guard let value = text(key) else { return nil }
        guard let scheme = value.split(separator: ":", maxSplits: 1).first.map(String.init), schemes.contains(scheme.lowercased()),
              value.dropFirst(scheme.count).hasPrefix("://"), value.count > scheme.count + 3 else {
            throw error(key, "'\(value)' is not a URL; expected \(schemes.map { $0 + "://host[:port]" }.joined(separator: " or "))")
        }
        return value.hasSuffix("/") ? String(value.dropLast()) : value
    }

    /// `true` or `false`.
    mutating func flag(_ key: String) throws(ConfigurationError) -> Bool? {
        guard let value = text(key) else { return nil }
        switch value.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(key, "'\(value)' is not true or false")
        }
    }

    /// A whole number, one of `allowed` or within `range`.
    mutating func integer(_ key: String, in range: ClosedRange<Int>, allowed: [Int]? = nil) throws(ConfigurationError) -> Int? {
        guard let value = text(key) else { return nil }
        guard let number = Int(value), range.contains(number), allowed?.contains(number) ?? true else {
            let expected = allowed.map { "one of " + $0.map(String.init).joined(separator: ", ") } ?? "a whole number from \(range.lowerBound) to \(range.upperBound)"
            throw error(key, "'\(value)' is not \(expected)")
        }
        return number
    }

    /// Seconds (a positive number, fractions allowed).
    mutating func seconds(_ key: String) throws(ConfigurationError) -> Duration? {
        guard let value = text(key) else { return nil }
        guard let number = Double(value), number > 0, number <= 86_400 else {
            throw error(key, "'\(value)' is not a number of seconds between 0 and 86400")
        }
        return .milliseconds(Int64((number * 1000).rounded()))
    }

    /// Throws for the first option that no reader asked for, naming the ones that exist.
    func rejectUnknown() throws(ConfigurationError) {
        if let unknown = values.keys.sorted().first(where: { !known.contains($0) }) {
            throw error(unknown, "unknown option of the \(exchange) feed; known: \(known.sorted().joined(separator: ", "))")
        }
    }

    private func error(_ key: String, _ message: String) -> ConfigurationError {
        ConfigurationError(keyPath: "feeds.options.\(key)", location: "configuration", message: message)
    }
}
