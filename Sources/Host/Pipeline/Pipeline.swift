import Exchanges

/// The running pipeline: connectors feeding one ``PipelineRouter``, with symbols started and
/// stopped at run time on both (the connector subscribes, the router makes the processor).
public final class Pipeline: Sendable {
    public let router: PipelineRouter
    private let connectors: [Exchange: any ExchangeConnector]

    /// - Parameter connectors: at most one per exchange.
    public init(router: PipelineRouter, connectors: [any ExchangeConnector]) {
        self.router = router
        var table: [Exchange: any ExchangeConnector] = [:]
        for connector in connectors { table[connector.exchange] = connector }
        self.connectors = table
    }

    public var hub: OutputHub { router.hub }
    public var state: LatestState { router.state }

    /// The exchanges with a connector.
    public var exchanges: [Exchange] { connectors.keys.sorted { $0.rawValue < $1.rawValue } }

    /// Starts `names` (canonical or native) on `exchange`: the router first, so no event is
    /// unrouted, then the connector's subscription. Returns the canonical symbols.
    @discardableResult
    public func start(_ names: [String], on exchange: Exchange) async throws -> [CanonicalSymbol] {
        let connector = try connector(exchange)
        let symbols = try SymbolNames.resolve(names, on: exchange)
        router.start(symbols, exchange: exchange)
        do {
            try await connector.subscribe(symbols)
        } catch {
            router.stop(symbols)
            throw error
        }
        return symbols
    }

    /// Stops `names` on `exchange`: unsubscribes, then drops their processors and state.
    @discardableResult
    public func stop(_ names: [String], on exchange: Exchange) async throws -> [CanonicalSymbol] {
        let connector = try connector(exchange)
        let symbols = try SymbolNames.resolve(names, on: exchange)
        try await connector.unsubscribe(symbols)
        router.stop(symbols)
        return symbols
    }

    /// Runs every connector into the router until cancelled (or, for a finite replay, until
    /// every connector returns); then closes the open candles and waits for the shards.
    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for connector in connectors.values {
                group.addTask { [router] in try await connector.run(sink: router) }
            }
            try await group.waitForAll()
        }
        router.flush()
        await router.drain()
    }

    /// What every connector knows of its symbols' feeds, as of `now` (epoch ms).
    public func connectorHealth(at now: Int64) async -> ConnectorHealthTable {
        var table: ConnectorHealthTable = [:]
        for (exchange, connector) in connectors {
            table[exchange] = await connector.health().mapValues { ConnectorHealth($0, at: now) }
        }
        return table
    }

    private func connector(_ exchange: Exchange) throws(PipelineError) -> any ExchangeConnector {
        guard let connector = connectors[exchange] else {
            throw PipelineError("no feed for \(exchange.displayName) is configured (configured: \(exchanges.map(\.rawValue).joined(separator: ", ")))")
        }
        return connector
    }
}

/// A request the pipeline cannot carry out.
public struct PipelineError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
