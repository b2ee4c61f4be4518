import AsyncHTTPClient
import Foundation
@testable import Host
import Testing

/// The daemon wiring: storage, publisher, API in one service group, on port 0.
@Suite struct APIDaemonTests {
    /// Runs a daemon over `folder` until `body` returns, then cancels it (its writer flushes).
    static func withDaemon(folder: TemporaryFolder, token: String? = "t",
                           _ body: @escaping @Sendable (Int, DaemonComponents) async throws -> Void) async throws {
        var configuration = ChloeConfiguration()
        configuration.api.port = 0
        configuration.api.token = token
        configuration.storage.dataDir = folder.path
        configuration.storage.batchIntervalMilliseconds = 5
        try await DaemonEndToEndTests.withDaemon(configuration, pipeline: false, logLabel: "daemon-test", body)
    }

    static func get(_ port: Int, _ path: String) async throws -> (Int, [String: Any]) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 22)
        let object = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
        return (Int(response.status.code), object)
    }

    @Test func publishedRecordsAreStoredBeforeClientsSeeThemAndSurviveARestart() async throws {
        let folder = try TemporaryFolder()
        let now = Int64(Date.now.timeIntervalSince1970 * 1000)
        try await Self.withDaemon(folder: folder) { port, components in
            let (status, health) = try await Self.get(port, "/health")
            #expect(status == 200)
            #expect(health["ready"] as? Bool == true)
            let subscriber = components.broadcaster.subscribe()
            _ = subscriber.update { $0.channels = [.signals, .alerts] }
            let stored = try await components.publisher.publish(signals: [Records.signal(time: now)], alerts: [Records.alert(time: now)])
            #expect(stored.signals.first?.id == 1)
            var iterator = subscriber.stream.makeAsyncIterator()
            let first = await iterator.next()
            #expect(first?.json.contains("\"id\":1") == true, "the published record carries its storage id")
            subscriber.cancel()
        }
        try await Self.withDaemon(folder: folder) { port, _ in
            let (status, history) = try await Self.get(port, "/signals/history")
            #expect(status == 200)
            #expect((history["signals"] as? [[String: Any]])?.map { $0["time"] as? Int64 } == [now])
            let (_, alerts) = try await Self.get(port, "/alerts")
            #expect((alerts["alerts"] as? [[String: Any]])?.count == 1)
        }
    }
}
