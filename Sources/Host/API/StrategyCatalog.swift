/// The strategy runtime as the API sees it: list, read, upload (validate then hot-reload) and
/// reload strategies. The Lua runtime implements it.
public protocol StrategyCatalog: Sendable {
    func list() async -> [StrategySummary]
    /// Strategy `name`, nil when there is none.
    func strategy(named name: String) async -> StrategyDetail?
    /// Validates `source` and, when it loads cleanly, saves it as `name` and hot-reloads it; a
    /// broken source is refused (`StrategyRefusal` with line and message) and the old one keeps running.
    func upload(name: String, source: String) async throws(StrategyRefusal) -> StrategyDetail
    /// Reloads `name` from its file.
    func reload(name: String) async throws(StrategyRefusal) -> StrategyDetail
    /// Validates `source` and runs it as the shadow of `name`: it sees the same events as the
    /// live version, its signals are compared, never emitted.
    func loadShadow(name: String, source: String) async throws(StrategyRefusal) -> ShadowReport
    /// The shadow of `name` and how it differs from the live version per symbol.
    func shadowReport(name: String) async throws(StrategyRefusal) -> ShadowReport
    /// Makes the shadow of `name` live (the live one is kept for rollback).
    func promote(name: String) async throws(StrategyRefusal) -> StrategyDetail
    /// Makes the previous live version of `name` live again.
    func rollback(name: String) async throws(StrategyRefusal) -> StrategyDetail
    /// Stops the shadow of `name`.
    func discardShadow(name: String) async throws(StrategyRefusal) -> StrategyDetail
}

/// A strategy in `GET /strategies`.
public struct StrategySummary: Sendable, Hashable, Codable {
    public var name: String
    public var hash: String
    /// `running`, `parked`, `failed` or `not_loaded`.
    public var status: String
    public var symbols: [String]

    public init(name: String, hash: String, status: String, symbols: [String]) {
        self.name = name
        self.hash = hash
        self.status = status
        self.symbols = symbols
    }
}

/// `GET /strategies/{name}`: source, hash, status and the last error per symbol.
public struct StrategyDetail: Sendable, Hashable, Codable {
    public var name: String
    public var hash: String
    public var status: String
    public var source: String
    public var symbols: [String]
    /// The last error by symbol (`*` for a load error).
    public var lastErrors: [String: StrategyErrorRecord]
    /// Epoch ms of the load of the running version.
    public var loadedAt: Int64?

    public init(name: String, hash: String, status: String, source: String, symbols: [String],
                lastErrors: [String: StrategyErrorRecord] = [:], loadedAt: Int64? = nil) {
        self.name = name
        self.hash = hash
        self.status = status
        self.source = source
        self.symbols = symbols
        self.lastErrors = lastErrors
        self.loadedAt = loadedAt
    }
}

/// Why a strategy upload or reload was refused; becomes a 4xx naming the line.
public struct StrategyRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// 404 unknown strategy, 422 source that does not load, 400 bad name.
    public var status: Int
    public var message: String
    /// The source line of the problem, when there is one.
    public var line: Int?

    public init(status: Int = 422, message: String, line: Int? = nil) {
        self.status = status
        self.message = message
        self.line = line
    }

    public var description: String { line.map { "line \($0): \(message)" } ?? message }
}

/// `GET /model` and `POST /model/reload`: the loaded rating model.
public protocol ModelInfoProvider: Sendable {
    /// The model's description, nil when none is loaded.
    func modelInfo() async -> ModelInfo?

    /// Loads the model file again, as its file watcher does; nil when this daemon has no
    /// model file to reload.
    func reloadModel() async -> ModelReloadAnswer?
}

/// The answer of `POST /model/reload`.
public struct ModelReloadAnswer: Sendable, Hashable, Codable {
    /// `loaded` (a new model serves), `unchanged` (the file holds the model serving) or
    /// `refused` (the file is not a valid model; the previous one keeps serving).
    public var status: String
    /// The version serving after the call.
    public var version: String
    /// Why the file was refused.
    public var error: String?

    public init(status: String, version: String, error: String? = nil) {
        self.status = status
        self.version = version
        self.error = error
    }
}

/// The loaded model: version, where it came from, what it reads.
public struct ModelInfo: Sendable, Hashable, Codable {
    public var version: String
    public var path: String
    public var features: [String]
    /// Classes in output order (strong_sell ... strong_buy).
    public var classes: [String]
    public var trainedAt: String?
    public var metrics: [String: Double]

    public init(version: String, path: String, features: [String], classes: [String], trainedAt: String? = nil,
                metrics: [String: Double] = [:]) {
        self.version = version
        self.path = path
        self.features = features
        self.classes = classes
        self.trainedAt = trainedAt
        self.metrics = metrics
    }
}
