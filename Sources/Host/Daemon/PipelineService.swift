import Exchanges
import Foundation
import Logging
import ServiceLifecycle

/// Runs the pipeline in the daemon: starts the configured symbols, runs the connectors into the
/// router, and once a second calls ``PipelineRouter/timer(now:connectors:)`` with the feed's
/// clock (the newest event time when only the simulated feed runs, whose time runs ahead of
/// the wall clock; the wall clock otherwise) so candles close and stale feeds show, handing it
/// what the connectors know of each feed (gaps, checksum failures, silences), and publishes
/// the pipeline's figures for `/metrics` (``PipelineMetrics``). Stops on shutdown.
struct PipelineService: Service {
    let pipeline: Pipeline
    let feeds: [FeedSettings]
    let logger: Logger

    func run() async throws {
        for feed in feeds {
            do {
                let symbols = try await pipeline.start(feed.symbols, on: feed.exchange)
                logger.info("feed started", metadata: ["exchange": "\(feed.exchange.rawValue)",
                                                       "symbols": "\(symbols.map(\.description).joined(separator: ","))"])
            } catch {
                logger.error("feed not started", metadata: ["exchange": "\(feed.exchange.rawValue)", "error": "\(error)"])
            }
        }
        let simulatedOnly = feeds.allSatisfy { $0.exchange == .sim }
        let router = pipeline.router, state = pipeline.state
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await pipeline.run()
                } catch is CancellationError {
                } catch {
                    logger.error("feeds stopped", metadata: ["error": "\(error)"])
                }
            }
            group.addTask {
                var metrics = PipelineMetrics()
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    let now = simulatedOnly ? state.snapshots().compactMap(\.time).max() : Int64(Date.now.timeIntervalSince1970 * 1000)
                    if let now {
                        let connectors = await pipeline.connectorHealth(at: now)
                        router.timer(now: now, connectors: connectors)
                        metrics.update(connectors: connectors)
                    }
                    metrics.update(from: router.statistics(), symbols: state.count)
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        await router.drain()
        router.shutdown()
        logger.info("pipeline stopped")
    }
}
