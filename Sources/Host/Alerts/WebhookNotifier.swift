import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import NIOCore
import ServiceLifecycle

/// Posts fired alerts to the configured webhooks: one JSON POST per alert and webhook, retried
/// with exponential backoff on network errors, timeouts, 408, 429 and 5xx; other answers and
/// exhausted retries are dead letters (counted and logged). The same alert (symbol, strategy,
/// name) is not posted again within the cooldown, measured on the alerts' own times.
///
/// `notify` never waits: alerts go into a bounded queue, and when it is full the alert is a dead letter.
public actor WebhookNotifier: Service {
    private let settings: AlertSettings
    private let client: HTTPClient
    private let logger: Logger
    private let sleep: @Sendable (Duration) async throws -> Void
    private nonisolated let queue: AsyncStream<Alert>
    private nonisolated let input: AsyncStream<Alert>.Continuation
    private var lastPosted: [String: Int64] = [:]
    private let overflow = Locked(0)
    private var deliveredCount = 0
    private var deadLetterCount = 0
    private var suppressedCount = 0
    private let deliveredCounter = Counter(label: "chloe_webhook_delivered_total")
    private let deadLetterCounter = Counter(label: "chloe_webhook_dead_letters_total")
    private let retryCounter = Counter(label: "chloe_webhook_retries_total")
    private let suppressedCounter = Counter(label: "chloe_webhook_suppressed_total")

    /// - Parameter sleep: waits between retries (tests pass a recording one).
    public init(settings: AlertSettings, client: HTTPClient = .shared, logger: Logger,
                sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }) {
        self.settings = settings
        self.client = client
        self.logger = logger
        self.sleep = sleep
        (queue, input) = AsyncStream.makeStream(of: Alert.self, bufferingPolicy: .bufferingOldest(settings.queueSize))
    }

    /// Queues `alert` for delivery; false (a dead letter) when the queue is full or closed.
    @discardableResult
    public nonisolated func notify(_ alert: Alert) -> Bool {
        guard !settings.webhooks.isEmpty else { return true }
        if case .enqueued = input.yield(alert) { return true }
        overflow.withLock { $0 += settings.webhooks.count }
        deadLetterCounter.increment(by: settings.webhooks.count)
        logger.warning("alert not queued for webhooks", metadata: ["alert.id": "\(alert.id)", "symbol": "\(alert.symbol)"])
        return false
    }

    /// Deliveries that succeeded.
    public var delivered: Int { deliveredCount }
    /// Deliveries given up (refused, retries exhausted, or queue full).
    public var deadLetters: Int { deadLetterCount + overflow.withLock { $0 } }
    /// Alerts not posted because of the cooldown.
    public var suppressed: Int { suppressedCount }

    /// Delivers queued alerts until graceful shutdown, then what is left (without further retries).
    public func run() async throws {
        await withGracefulShutdownHandler {
            for await alert in queue { await deliver(alert) }
        } onGracefulShutdown: { [input] in
            input.finish()
        }
    }

    /// Delivers `alert` to every webhook unless it is within the cooldown.
    func deliver(_ alert: Alert) async {
        let key = "\(alert.symbol)\u{0}\(alert.strategy)\u{0}\(alert.name)"
        if let last = lastPosted[key], alert.time - last < Int64(settings.cooldownSeconds) * 1000, alert.time >= last {
            suppressedCount += 1
            suppressedCounter.increment()
            return
        }
        lastPosted[key] = alert.time
        for webhook in settings.webhooks {
            if await post(alert, to: webhook) {
                deliveredCount += 1
                deliveredCounter.increment()
            } else {
                deadLetterCount += 1
                deadLetterCounter.increment()
            }
        }
    }

    private func post(_ alert: Alert, to webhook: WebhookSettings) async -> Bool {
        let body: Data
        do {
            body = try WebhookBody.encode(alert, for: webhook)
        } catch {
            logger.error("webhook body could not be encoded", metadata: ["error": "\(error)"])
            return false
        }
        var request = HTTPClientRequest(url: webhook.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "chloe/\(chloeVersion)")
        request.body = .bytes(ByteBuffer(bytes: body))
        var delay = Duration.milliseconds(webhook.backoffMilliseconds)
        for attempt in 0...webhook.retries {
            let outcome: String
            do {
                let response = try await client.execute(request, timeout: .milliseconds(Int64(webhook.timeoutMilliseconds)))
                _ = try? await response.body.collect(upTo: 65_536)
                let code = Int(response.status.code)
                if (200..<300).contains(code) { return true }
                outcome = "HTTP \(code)"
                guard code == 408 || code == 429 || code >= 500 else {
                    logDeadLetter(alert, webhook, reason: "\(outcome) (not retried)")
                    return false
                }
            } catch {
                outcome = "\(error)"
            }
            guard attempt < webhook.retries, !Task.isShuttingDownGracefully else {
                logDeadLetter(alert, webhook, reason: "\(outcome) after \(attempt + 1) attempts")
                return false
            }
            retryCounter.increment()
            logger.debug("webhook attempt failed, retrying", metadata: ["url": "\(Self.redacted(webhook.url))", "attempt": "\(attempt + 1)", "reason": "\(outcome)"])
            try? await sleep(delay)
            delay = min(delay * 2, .milliseconds(webhook.maxBackoffMilliseconds))
        }
        return false
    }

    private func logDeadLetter(_ alert: Alert, _ webhook: WebhookSettings, reason: String) {
        logger.error("webhook delivery failed: dead letter", metadata: [
            "url": "\(Self.redacted(webhook.url))", "alert.id": "\(alert.id)", "symbol": "\(alert.symbol)", "reason": "\(reason)",
        ])
    }

    /// The URL without its path and query, which often hold a secret (Slack, Discord, Telegram tokens).
    static func redacted(_ url: String) -> String {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else { return "<webhook>" }
        return "\(scheme)://\(host)\(components.port.map { ":\($0)" } ?? "")/…"
    }
}
