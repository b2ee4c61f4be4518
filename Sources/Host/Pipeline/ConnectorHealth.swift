import Exchanges

/// What a connector knows of one symbol's feed that the events do not show the pipeline:
/// sequence gaps, checksum failures, silences, undecodable frames, rejected price spikes.
/// The daemon samples it from every connector once a second and hands it to the symbol's
/// processor with the timer, which folds it into the feed quality and incident counts that
/// signals and `GET /realtime/status` report.
public struct ConnectorHealth: Sendable, Equatable {
    /// `1 / (1 + recent trouble)` as the connector scores it (1: no recent incident).
    public var incidentFactor: Double
    /// Incidents the connector counted, by kind.
    public var incidents: [FeedIncident: UInt64]

    public init(incidentFactor: Double, incidents: [FeedIncident: UInt64]) {
        self.incidentFactor = incidentFactor
        self.incidents = incidents
    }

    /// `health` as of `now` (epoch ms, the connector's clock).
    public init(_ health: FeedHealth, at now: Int64) {
        self.init(incidentFactor: health.incidentFactor(at: now), incidents: health.incidentCounts)
    }
}

/// Connector health of every symbol, by exchange.
public typealias ConnectorHealthTable = [Exchange: [CanonicalSymbol: ConnectorHealth]]
