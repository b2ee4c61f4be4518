import Foundation
@testable import Host
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// A webhook receiver on 127.0.0.1: records bodies and answers with scripted statuses (200 when
/// the script is used up).
struct WebhookReceiver {
    let bodies = Locked<[String]>([])
    let script: Locked<[HTTPResponse.Status]>

    init(script: [HTTPResponse.Status] = []) {
        self.script = Locked(script)
    }

    func run(_ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        let router = Router()
        let bodies = self.bodies
        let script = self.script
        router.post("/hook") { request, _ -> Response in
            let buffer = try await request.body.collect(upTo: 1 << 20)
            bodies.withLock { $0.append(String(buffer: buffer)) }
            return Response(status: script.withLock { $0.isEmpty ? .ok : $0.removeFirst() })
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await body(client.port ?? 0) }
    }
}

@Suite struct AlertsWebhookTests {
    static func settings(port: Int, format: WebhookSettings.Format = .json, retries: Int = 3, cooldown: Int = 60) -> AlertSettings {
        var settings = AlertSettings()
        settings.cooldownSeconds = cooldown
        settings.webhooks = [WebhookSettings(url: "http://127.0.0.1:\(port)/hook", format: format, chatID: "42", retries: retries,
                                             backoffMilliseconds: 10, maxBackoffMilliseconds: 25, timeoutMilliseconds: 2000)]
        return settings
    }

    static let logger = Logger(label: "webhook-test")

    @Test func theAlertIsPostedAsJSON() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { port in
            let notifier = WebhookNotifier(settings: Self.settings(port: port), logger: Self.logger)
            var alert = Records.alert(time: 1_000)
            alert.id = 7
            await notifier.deliver(alert)
            #expect(await notifier.delivered == 1)
            let body = try #require(receiver.bodies.withLock { $0.first })
            #expect(try RecordCoding.makeDecoder().decode(Alert.self, from: Data(body.utf8)) == alert)
        }
    }

    @Test func failuresAreRetriedWithExponentialBackoff() async throws {
        let receiver = WebhookReceiver(script: [.internalServerError, .serviceUnavailable, .tooManyRequests])
        try await receiver.run { port in
            let sleeps = Locked<[Duration]>([])
            let notifier = WebhookNotifier(settings: Self.settings(port: port), logger: Self.logger) { delay in sleeps.withLock { $0.append(delay) } }
            await notifier.deliver(Records.alert(time: 1))
            #expect(await notifier.delivered == 1)
            #expect(await notifier.deadLetters == 0)
            #expect(receiver.bodies.withLock { $0.count } == 4)
            #expect(sleeps.withLock { $0 } == [.milliseconds(10), .milliseconds(20), .milliseconds(25)])
        }
    }

    @Test func exhaustedRetriesAndRefusalsAreDeadLetters() async throws {
        let receiver = WebhookReceiver(script: [.badGateway, .badGateway, .badGateway, .badRequest])
        try await receiver.run { port in
            let notifier = WebhookNotifier(settings: Self.settings(port: port, retries: 2, cooldown: 0), logger: Self.logger) { _ in }
            await notifier.deliver(Records.alert(time: 1))
            #expect(await notifier.deadLetters == 1)
            #expect(receiver.bodies.withLock { $0.count } == 3)
            await notifier.deliver(Records.alert(time: 2))
            #expect(await notifier.deadLetters == 2)
            #expect(receiver.bodies.withLock { $0.count } == 4, "a 400 is not retried")
        }
    }

    @Test func anUnreachableWebhookIsADeadLetter() async throws {
        let notifier = WebhookNotifier(settings: Self.settings(port: 1, retries: 1), logger: Self.logger) { _ in }
        await notifier.deliver(Records.alert(time: 1))
        #expect(await notifier.deadLetters == 1)
        #expect(await notifier.delivered == 0)
    }

    @Test func theSameAlertIsNotPostedAgainWithinTheCooldown() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { port in
            let notifier = WebhookNotifier(settings: Self.settings(port: port, cooldown: 60), logger: Self.logger)
            await notifier.deliver(Records.alert(time: 0))
            await notifier.deliver(Records.alert(time: 30_000))
            await notifier.deliver(Records.alert(time: 30_000, name: "other"))
            await notifier.deliver(Records.alert(time: 61_000))
            #expect(await notifier.suppressed == 1)
            #expect(await notifier.delivered == 3)
        }
    }

    @Test func queuedAlertsAreDeliveredAndAFullQueueDeadLetters() async throws {
        let receiver = WebhookReceiver()
        try await receiver.run { port in
            var settings = Self.settings(port: port, cooldown: 0)
            settings.queueSize = 1
            let notifier = WebhookNotifier(settings: settings, logger: Self.logger)
            #expect(notifier.notify(Records.alert(time: 1)))
            #expect(!notifier.notify(Records.alert(time: 2)))
            #expect(await notifier.deadLetters == 1)
            let run = Task { try await notifier.run() }
            while await notifier.delivered < 1 { try await Task.sleep(for: .milliseconds(5)) }
            run.cancel()
            #expect(receiver.bodies.withLock { $0.count } == 1)
        }
    }

    @Test func chatFormatsCarryAReadableLine() throws {
        let alert = Records.alert(time: 0, severity: .critical)
        func object(_ format: WebhookSettings.Format) throws -> [String: String] {
            let data = try WebhookBody.encode(alert, for: WebhookSettings(url: "https://x.example", format: format, chatID: "-100"))
            return try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
        }
        let line = "[CRITICAL] BTC/USDT rsi_reversal/breakout: price broke the range at 101.5 (sim, 1970-01-01T00:00:00Z)"
        #expect(try object(.slack) == ["text": line])
        #expect(try object(.discord) == ["content": line])
        #expect(try object(.telegram) == ["chat_id": "-100", "text": line])
    }
}
