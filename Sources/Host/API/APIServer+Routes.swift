import Foundation
import Hummingbird

extension APIServer {
    /// Every route; `docs/openapi.yaml` documents exactly these (tested).
    func addRoutes(to table: inout RouteTable) {
        table.on(.get, "/health") { _, _ in try await health() }
        table.on(.get, "/metrics") { _, _ in metrics() }
        table.on(.get, "/signals/history") { request, _ in try await signalHistory(request) }
        table.on(.get, "/signals/{id}") { _, context in try await explainSignal(context) }
        table.on(.get, "/alerts") { request, _ in try await alerts(request) }
        table.on(.post, "/alerts/{id}/ack") { _, context in try await acknowledge(context) }
        table.on(.get, "/realtime/status") { _, _ in try json(await services.realtime.status()) }
        table.on(.post, "/realtime/start") { request, context in try await control(request, context, start: true) }
        table.on(.post, "/realtime/stop") { request, context in try await control(request, context, start: false) }
        table.on(.get, "/realtime/signals") { request, _ in try await latestSignals(request) }
        table.on(.get, "/realtime/data/{symbol}") { _, context in try await symbolData(context) }
        table.webSocket("/realtime/ws") { inbound, outbound, context in
            await RealtimeWebSocket(broadcaster: services.broadcaster, logger: context.logger, now: services.now)
                .serve(inbound: inbound, outbound: outbound, channel: context.requestContext.channel)
        }
        table.on(.get, "/strategies") { _, _ in try json(["strategies": await strategyCatalog().list()]) }
        table.on(.get, "/strategies/{name}") { _, context in try await strategy(context) }
        table.on(.put, "/strategies/{name}") { request, context in try await uploadStrategy(request, context) }
        table.on(.post, "/strategies/{name}/reload") { _, context in try await reloadStrategy(context) }
        table.on(.post, "/strategies/{name}/shadow") { request, context in try await loadShadow(request, context) }
        table.on(.get, "/strategies/{name}/shadow") { _, context in
            try await shadowAction(context, "no shadow report") { catalog, name throws(StrategyRefusal) in try await catalog.shadowReport(name: name) }
        }
        table.on(.delete, "/strategies/{name}/shadow") { _, context in
            try await shadowAction(context, "shadow not discarded") { catalog, name throws(StrategyRefusal) in try await catalog.discardShadow(name: name) }
        }
        table.on(.post, "/strategies/{name}/promote") { _, context in
            try await shadowAction(context, "shadow not promoted") { catalog, name throws(StrategyRefusal) in try await catalog.promote(name: name) }
        }
        table.on(.post, "/strategies/{name}/rollback") { _, context in
            try await shadowAction(context, "not rolled back") { catalog, name throws(StrategyRefusal) in try await catalog.rollback(name: name) }
        }
        table.on(.get, "/model") { _, _ in try await model() }
        table.on(.post, "/model/reload") { _, _ in try await reloadModel() }
    }

    private func health() async throws -> Response {
        let storageReady = await services.storage.isReachable()
        let status = await services.realtime.status()
        return try json(HealthReport(status: storageReady ? "ok" : "degraded", live: true, ready: storageReady,
                                     version: chloeVersion, storage: storageReady, pipelineRunning: status.running,
                                     websocketClients: services.broadcaster.subscriberCount))
    }

    private func metrics() -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: services.metrics.emitToBuffer())))
    }

    private func signalHistory(_ request: Request) async throws -> Response {
        let query = try QueryReader(request, allowed: ["symbol", "strategy", "level", "since", "until", "limit", "cursor"])
        let page = try await services.storage.signals(SignalQuery(
            symbol: query.string("symbol"), strategy: query.string("strategy"), level: query.level("level"),
            since: query.int("since"), until: query.int("until"), limit: query.limit(), cursor: query.int("cursor", in: 1...Int64.max)))
        return try json(SignalPage(signals: page.items, nextCursor: page.nextCursor))
    }

    private func explainSignal(_ context: APIRequestContext) async throws -> Response {
        let text = context.parameters.get("id") ?? ""
        guard let id = Int64(text), id > 0 else { throw APIError.badRequest("signal id must be a positive whole number, got '\(text.prefix(64))'") }
        guard let explanation = try await SignalExplanation.load(id: id, from: services.storage) else {
            throw APIError.notFound("no signal with id \(id)")
        }
        return try json(explanation)
    }

    private func alerts(_ request: Request) async throws -> Response {
        let query = try QueryReader(request, allowed: ["symbol", "strategy", "severity", "acknowledged", "since", "until", "limit", "cursor"])
        let page = try await services.storage.alerts(AlertQuery(
            symbol: query.string("symbol"), strategy: query.string("strategy"), severity: query.severity("severity"),
            acknowledged: query.bool("acknowledged"), since: query.int("since"), until: query.int("until"),
            limit: query.limit(), cursor: query.int("cursor", in: 1...Int64.max)))
        return try json(AlertPage(alerts: page.items, nextCursor: page.nextCursor))
    }

    private func acknowledge(_ context: APIRequestContext) async throws -> Response {
        let text = context.parameters.get("id") ?? ""
        guard let id = Int64(text), id > 0 else { throw APIError.badRequest("alert id must be a positive whole number, got '\(text.prefix(64))'") }
        guard let alert = try await services.storage.acknowledgeAlert(id: id, at: services.now()) else {
            throw APIError.notFound("no alert with id \(id)")
        }
        return try json(["alert": alert])
    }

    private func control(_ request: Request, _ context: APIRequestContext, start: Bool) async throws -> Response {
        let body = try await readBody(request, context)
        let parsed = try SymbolListRequest(json: body)
        let change: RealtimeChange
        do throws(RealtimeControlError) {
            change = start
                ? try await services.realtime.start(symbols: parsed.symbols, exchange: parsed.exchange)
                : try await services.realtime.stop(symbols: parsed.symbols, exchange: parsed.exchange)
        } catch {
            throw APIError(HTTPResponse.Status(code: error.status), error.message)
        }
        return try json(change)
    }

    private func latestSignals(_ request: Request) async throws -> Response {
        let query = try QueryReader(request, allowed: ["symbol", "strategy", "level", "since"])
        let filter = try LatestSignalFilter(symbol: query.string("symbol"), strategy: query.string("strategy"),
                                            level: query.level("level"), since: query.int("since"))
        return try json(["signals": await services.realtime.latestSignals(filter)])
    }

    private func symbolData(_ context: APIRequestContext) async throws -> Response {
        let symbol = try pathSymbol(context)
        guard let snapshot = await services.realtime.snapshot(symbol: symbol) else {
            throw APIError.notFound("symbol '\(symbol)' is not followed; start it with POST /realtime/start")
        }
        return try json(snapshot)
    }

    private func strategy(_ context: APIRequestContext) async throws -> Response {
        let name = try strategyName(context)
        guard let detail = try await strategyCatalog().strategy(named: name) else { throw APIError.notFound("no strategy named '\(name)'") }
        return try json(detail)
    }

    private func uploadStrategy(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let name = try strategyName(context)
        let catalog = try strategyCatalog()
        let source = try await strategySource(request, context)
        let detail: StrategyDetail
        do throws(StrategyRefusal) {
            detail = try await catalog.upload(name: name, source: source)
        } catch {
            throw APIError(HTTPResponse.Status(code: error.status), "strategy '\(name)' refused, the running version is kept: \(error)")
        }
        return try json(detail)
    }

    private func reloadStrategy(_ context: APIRequestContext) async throws -> Response {
        let name = try strategyName(context)
        let catalog = try strategyCatalog()
        let detail: StrategyDetail
        do throws(StrategyRefusal) {
            detail = try await catalog.reload(name: name)
        } catch {
            throw APIError(HTTPResponse.Status(code: error.status), "strategy '\(name)' not reloaded, the running version is kept: \(error)")
        }
        return try json(detail)
    }

    private func loadShadow(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let name = try strategyName(context)
        let catalog = try strategyCatalog()
        let source = try await strategySource(request, context)
        let report: ShadowReport
        do throws(StrategyRefusal) {
            report = try await catalog.loadShadow(name: name, source: source)
        } catch {
            throw APIError(HTTPResponse.Status(code: error.status), "shadow of '\(name)' refused: \(error)")
        }
        return try json(report)
    }

    /// Runs a shadow-version action on strategy `{name}`, a refusal becoming its 4xx.
    private func shadowAction(_ context: APIRequestContext, _ what: String,
                              _ action: (any StrategyCatalog, String) async throws(StrategyRefusal) -> some Encodable) async throws -> Response {
        let name = try strategyName(context)
        let catalog = try strategyCatalog()
        let result: any Encodable
        do throws(StrategyRefusal) {
            result = try await action(catalog, name)
        } catch {
            throw APIError(HTTPResponse.Status(code: error.status), "'\(name)': \(what): \(error)")
        }
        return try json(result)
    }

    private func strategySource(_ request: Request, _ context: APIRequestContext) async throws -> String {
        let body = try await readBody(request, context)
        guard !body.isEmpty else { throw APIError.badRequest("the body must be the strategy's Lua source; it is empty") }
        guard let source = String(validating: body, as: UTF8.self) else {
            throw APIError.badRequest("the strategy source is not UTF-8 text")
        }
        return source
    }

    private func model() async throws -> Response {
        guard let provider = services.model else { throw APIError.notFound("no model is wired into this daemon") }
        guard let info = await provider.modelInfo() else { throw APIError.notFound("no model is loaded; see model.path in the configuration") }
        return try json(info)
    }

    private func reloadModel() async throws -> Response {
        guard let provider = services.model, let answer = await provider.reloadModel() else {
            throw APIError.notFound("no model file is loaded, so there is none to reload; see model.path in the configuration (a model added later needs a restart)")
        }
        if answer.status == "refused" {
            throw APIError(HTTPResponse.Status(code: 422), "model not reloaded, \(answer.version) keeps serving: \(answer.error ?? "invalid file")")
        }
        return try json(answer)
    }

    private func strategyCatalog() throws -> any StrategyCatalog {
        guard let strategies = services.strategies else { throw APIError.notFound("no strategy runtime is wired into this daemon") }
        return strategies
    }

    private func strategyName(_ context: APIRequestContext) throws -> String {
        let name = context.parameters.get("name") ?? ""
        guard (1...64).contains(name.count),
              name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }) else {
            throw APIError.badRequest("strategy name '\(name.prefix(64))' must be 1 to 64 letters, digits, _ or -")
        }
        return name
    }

    private func pathSymbol(_ context: APIRequestContext) throws -> String {
        let raw = context.parameters.get("symbol") ?? ""
        let symbol = raw.removingPercentEncoding ?? raw
        guard (1...SymbolListRequest.maximumSymbolLength).contains(symbol.count) else {
            throw APIError.badRequest("symbol must be 1 to \(SymbolListRequest.maximumSymbolLength) characters")
        }
        return symbol
    }

    private func readBody(_ request: Request, _ context: APIRequestContext) async throws -> [UInt8] {
        do {
            var buffer = try await request.body.collect(upTo: settings.maxBodyBytes)
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError(.contentTooLarge, "request body is over the limit of \(settings.maxBodyBytes) bytes (api.max_body_bytes)")
        }
    }

    /// A JSON response in the records' shape.
    func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try RecordCoding.makeEncoder().encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// `GET /health`.
struct HealthReport: Codable, Sendable {
    var status: String
    var live: Bool
    var ready: Bool
    var version: String
    var storage: Bool
    var pipelineRunning: Bool
    var websocketClients: Int
}

/// `GET /signals/history`.
struct SignalPage: Codable, Sendable {
    var signals: [Signal]
    var nextCursor: Int64?
}

/// `GET /alerts`.
struct AlertPage: Codable, Sendable {
    var alerts: [Alert]
    var nextCursor: Int64?
}
