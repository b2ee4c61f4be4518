import Exchanges
import Foundation
import Indicators
import Logging
import Model
import Scripting
import ServiceLifecycle

/// Builds the daemon's pipeline from its configuration: the Lua strategies (loaded from
/// `strategies.dir`, watched, reloaded on SIGHUP), the rating model (`model.path`, watched
/// and reloaded on SIGHUP too), one
/// connector per configured feed, the router, and the services that run the feeds, tick the
/// candle clock and carry the pipeline's records to storage, WebSocket clients and webhooks.
public enum DaemonPipeline {
    /// The attachment `Daemon.run(attach:)` takes.
    public static func attach(_ components: DaemonComponents, logger: Logger) async throws -> PipelineAttachment {
        let configuration = components.configuration
        let library = StrategyLibrary(strategiesDirectory: URL(fileURLWithPath: configuration.strategies.dir, isDirectory: true),
                                      pluginsDirectory: URL(fileURLWithPath: configuration.strategies.pluginsDir, isDirectory: true),
                                      configuration: runtimeConfiguration(configuration))
        let registry = StrategyRegistry()
        let catalog = LuaStrategyCatalog(library: library, registry: registry, storage: components.storage, logger: logger)
        await catalog.reloadAll()
        let pipelineSettings = try pipelineConfiguration(configuration)
        let modelInterval = try interval(configuration.model.interval, key: "model.interval")
        guard pipelineSettings.intervals.contains(modelInterval) else {
            throw ConfigurationError(keyPath: "model.interval", location: "configuration",
                                     message: "'\(modelInterval)' is not built; add it to pipeline.candle_intervals")
        }
        let store = loadModel(configuration.model, logger: logger)
        let modelStage = store.map { NativeModelStage(store: $0, interval: modelInterval) }
        let modelReloader = store.map { ModelReloader(store: $0, path: configuration.model.path, logger: logger) }
        let stage = LuaStrategyStage(library: library, parameters: configuration.strategies.params, registry: registry)
        let router = PipelineRouter(configuration: pipelineSettings, strategies: stage, model: modelStage)
        let connectors = try configuration.feeds.map { try DaemonFeeds.connector(for: $0, logger: logger) }
        let pipeline = Pipeline(router: router, connectors: connectors)
        let realtime = PipelineRealtimeState(pipeline: pipeline, library: library, registry: registry,
                                             defaultExchange: configuration.feeds.first?.exchange ?? .sim)
        var services: [any Service] = [
            RecordForwarder(hub: router.hub, publisher: components.publisher, storage: components.storage, logger: logger),
            PipelineService(pipeline: pipeline, feeds: configuration.feeds, logger: logger),
        ]
        #if canImport(Glibc)
        services.append(StrategyWatcherService(watcher: StrategyWatcher(library: library), catalog: catalog, logger: logger))
        if let modelReloader { services.append(ModelWatcherService(watcher: ModelFileWatcher(reloader: modelReloader), logger: logger)) }
        #endif
        return PipelineAttachment(realtime: realtime, strategies: catalog, model: LoadedModelInfo(store: store, reloader: modelReloader), services: services,
                                  onHangup: {
                                      await catalog.reloadAll()
                                      modelReloader?.reload()
                                  })
    }

    static func runtimeConfiguration(_ configuration: ChloeConfiguration) -> StrategyRuntimeConfiguration {
        let settings = configuration.strategies, risk = configuration.risk
        return StrategyRuntimeConfiguration(
            limits: LuaLimits(instructionBudget: settings.instructionLimit, memoryLimit: settings.memoryLimitBytes),
            risk: RiskPolicy(equity: risk.equity, riskFraction: risk.riskFraction, stopMultiple: risk.atrStopMultiple,
                             takeProfitMultiple: risk.atrStopMultiple * risk.rewardRiskRatio),
            faultThreshold: settings.maxConsecutiveFaults)
    }

    static func pipelineConfiguration(_ configuration: ChloeConfiguration) throws -> PipelineConfiguration {
        let settings = configuration.pipeline
        let intervals = try settings.candleIntervals.map { try interval($0, key: "pipeline.candle_intervals") }
        return PipelineConfiguration(intervals: intervals, tickCapacity: settings.ringSize, tradeCapacity: settings.ringSize,
                                     qualityThreshold: settings.feedQualityThreshold,
                                     shards: max(1, ProcessInfo.processInfo.activeProcessorCount),
                                     callerRunsAfterIdle: settings.callerRunsAfterIdleMicroseconds.map { .microseconds($0) },
                                     publishTicks: true,
                                     closeRehearsal: settings.closeRehearsalMilliseconds.map { CloseRehearsalSettings(lead: .milliseconds($0)) })
    }

    static func interval(_ text: String, key: String) throws -> CandleInterval {
        guard let interval = CandleInterval(text) else {
            throw ConfigurationError(keyPath: key, location: "configuration", message: "'\(text)' is not a candle interval (1m, 5m, 1h, ...)")
        }
        return interval
    }

    /// The model at `settings.path`, or nil (logged) when it is missing or invalid: signals then carry no model fields.
    static func loadModel(_ settings: ModelSettings, logger: Logger) -> ModelStore? {
        do {
            let model = try ServingModel.load(path: settings.path)
            logger.info("model loaded", metadata: ["model.version": "\(model.info.id)", "model.path": "\(settings.path)",
                                                   "model.interval": "\(settings.interval)"])
            return ModelStore(model)
        } catch {
            logger.warning("no model: running without ratings", metadata: ["model.path": "\(settings.path)", "error": "\(error)"])
            return nil
        }
    }
}
