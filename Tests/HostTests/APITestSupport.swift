import Foundation
@testable import Host
import Hummingbird
import HummingbirdTesting
import Logging

/// A daemon's API over a temporary database, for router tests.
struct APIFixture {
    let folder: TemporaryFolder
    let storage: Storage
    let realtime: InMemoryRealtimeState
    let broadcaster: Broadcaster
    let services: APIServices

    init(strategies: (any StrategyCatalog)? = nil, model: (any ModelInfoProvider)? = nil, capacity: Int = 16) throws {
        folder = try TemporaryFolder()
        storage = try Storage(directory: folder.path)
        realtime = InMemoryRealtimeState(exchanges: [.sim, .binance])
        broadcaster = Broadcaster(capacity: capacity)
        services = APIServices(storage: storage, realtime: realtime, strategies: strategies, model: model,
                               broadcaster: broadcaster, now: { 1_700_000_000_000 })
    }

    func app(_ configure: (inout APISettings) -> Void = { _ in }) -> some ApplicationProtocol {
        var settings = APISettings()
        settings.port = 0
        settings.token = "test-token"
        configure(&settings)
        return buildApplication(settings: settings, services: services, logger: Logger(label: "api-test"))
    }

    static let auth: HTTPFields = [.authorization: "Bearer test-token", .contentType: "application/json"]
}

/// A strategy runtime stand-in: it refuses sources containing `error(` with that line number.
actor RecordingStrategyCatalog: StrategyCatalog {
    private var sources: [String: String] = ["trend": "return {}"]

    func list() -> [StrategySummary] {
        sources.keys.sorted().map { StrategySummary(name: $0, hash: "h-\($0)", status: "running", symbols: ["BTC/USDT"]) }
    }

    func strategy(named name: String) -> StrategyDetail? {
        sources[name].map { StrategyDetail(name: name, hash: "h-\(name)", status: "running", source: $0, symbols: ["BTC/USDT"]) }
    }

    func upload(name: String, source: String) throws(StrategyRefusal) -> StrategyDetail {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        if let index = lines.firstIndex(where: { $0.contains("error(") }) {
            throw StrategyRefusal(status: 422, message: "syntax error near 'error'", line: index + 1)
        }
        sources[name] = source
        return StrategyDetail(name: name, hash: "h-\(name)", status: "running", source: source, symbols: [])
    }

    func reload(name: String) throws(StrategyRefusal) -> StrategyDetail {
        guard let detail = strategy(named: name) else { throw StrategyRefusal(status: 404, message: "no strategy named '\(name)'") }
        return detail
    }

    func loadShadow(name: String, source: String) throws(StrategyRefusal) -> ShadowReport {
        ShadowReport(name: name, liveHash: "h-\(name)", shadowHash: "s-\(name)", symbols: [:])
    }

    func shadowReport(name: String) throws(StrategyRefusal) -> ShadowReport {
        throw StrategyRefusal(status: 404, message: "'\(name)' has no shadow version")
    }

    func promote(name: String) throws(StrategyRefusal) -> StrategyDetail {
        throw StrategyRefusal(status: 409, message: "'\(name)' has no shadow version to promote")
    }

    func rollback(name: String) throws(StrategyRefusal) -> StrategyDetail { try reload(name: name) }

    func discardShadow(name: String) throws(StrategyRefusal) -> StrategyDetail {
        throw StrategyRefusal(status: 409, message: "'\(name)' has no shadow version")
    }
}

extension ByteBuffer {
    /// The body parsed as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(readableBytesView))) as? [String: Any] ?? [:]
    }

    var text: String { String(buffer: self) }
}
