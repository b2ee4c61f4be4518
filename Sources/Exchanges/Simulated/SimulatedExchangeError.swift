/// Why the simulated exchange refused a request.
public struct SimulatedExchangeError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    static func noData(_ symbols: [CanonicalSymbol], known: [CanonicalSymbol]) -> Self {
        Self("the simulated exchange has no data for \(symbols.map(\.description).joined(separator: ", ")); "
            + (known.isEmpty ? "it was given no files and no random walk" : "it has \(known.map(\.description).joined(separator: ", "))")
            + " (configure a random walk to generate any symbol)")
    }

    public var description: String { message }
}
