import Foundation
@testable import Host
import Hummingbird
import HummingbirdTesting
import Testing

@Suite struct APITests {
    @Test func healthReportsLivenessAndReadiness() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.body.json["live"] as? Bool == true)
                #expect(response.body.json["ready"] as? Bool == true)
                #expect(response.body.json["pipeline_running"] as? Bool == false)
            }
        }
    }

    @Test func metricsArePrometheusText() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                #expect(response.body.text.contains("# TYPE"))
            }
        }
    }

    @Test func unknownRoutesAreJSON404s() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/nope", method: .get) { response in
                #expect(response.status == .notFound)
                let error = response.body.json["error"] as? [String: Any]
                #expect(error?["status"] as? Int == 404)
                #expect((error?["message"] as? String)?.contains("/nope") == true)
            }
        }
    }

    @Test func signalHistoryPagesWithFilters() async throws {
        let fixture = try APIFixture()
        _ = try await fixture.storage.append(signals: (0..<5).map { Records.signal(time: Int64($0)) } + [Records.signal("ETH/USDT", time: 9)])
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/signals/history?symbol=BTC%2FUSDT&limit=2", method: .get) { response in
                #expect(response.status == .ok)
                let signals = response.body.json["signals"] as? [[String: Any]]
                #expect(signals?.map { $0["time"] as? Int } == [4, 3])
                #expect(signals?.first?["strategy_hash"] as? String == "ab12")
                #expect(signals?.first?["level"] as? String == "buy")
                #expect(response.body.json["next_cursor"] as? Int == 4)
            }
            try await client.execute(uri: "/signals/history?symbol=BTC%2FUSDT&limit=2&cursor=4", method: .get) { response in
                #expect((response.body.json["signals"] as? [[String: Any]])?.map { $0["time"] as? Int } == [2, 1])
            }
            try await client.execute(uri: "/signals/history?limit=100000", method: .get) { response in
                #expect(response.status == .ok)
                #expect((response.body.json["signals"] as? [Any])?.count == 6)
            }
        }
    }

    @Test func aSignalIsExplainedWithItsStrategySourceAndTheCandlesItSaw() async throws {
        let fixture = try APIFixture()
        let source = "return { on_candle = function(ctx) return 'buy' end }"
        try await fixture.storage.record(StrategyVersionRecord(name: "rsi_reversal", hash: "ab12", source: source, loadedAt: 5))
        // Minute candles 0:00 .. 0:09; the signal at 0:05:00.5 saw those that closed by then (0:00 .. 0:04).
        let candles = (0..<10).map { k in
            StoredCandle(symbol: "BTC/USDT", exchange: "sim", interval: "1m", time: Int64(k) * 60_000,
                         open: 1, high: 2, low: 0.5, close: 1.5, volume: Double(k))
        }
        try await fixture.storage.append(candles: candles)
        let stored = try await fixture.storage.append(signals: [Records.signal(time: 300_500), Records.signal(time: 1, strategy: "builtin")])
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/signals/\(stored.signals[0].id)", method: .get) { response in
                #expect(response.status == .ok)
                let json = response.body.json
                #expect((json["signal"] as? [String: Any])?["reason"] as? String == "rsi crossed 30")
                #expect((json["strategy"] as? [String: Any])?["source"] as? String == source)
                #expect(json["interval"] as? String == "1m")
                #expect((json["candles"] as? [[String: Any]])?.map { $0["time"] as? Int } == [0, 60_000, 120_000, 180_000, 240_000])
            }
            try await client.execute(uri: "/signals/\(stored.signals[1].id)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.body.json["strategy"] == nil || response.body.json["strategy"] is NSNull, "no stored source for it")
            }
            try await client.execute(uri: "/signals/999", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/signals/abc", method: .get) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test(arguments: ["limit=abc", "limit=0", "level=hold", "since=yesterday", "lmit=5", "cursor=-1", "symbol="])
    func badHistoryQueriesAre400s(_ query: String) async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/signals/history?\(query)", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(((response.body.json["error"] as? [String: Any])?["message"] as? String)?.isEmpty == false)
            }
        }
    }

    @Test func alertsAreListedAndAcknowledgedWithTheToken() async throws {
        let fixture = try APIFixture()
        let stored = try await fixture.storage.append(signals: [], alerts: [Records.alert(time: 1), Records.alert(time: 2, severity: .critical)]).alerts
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/alerts?severity=critical", method: .get) { response in
                #expect((response.body.json["alerts"] as? [[String: Any]])?.map { $0["id"] as? Int } == [Int(stored[1].id)])
            }
            try await client.execute(uri: "/alerts/\(stored[0].id)/ack", method: .post) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] != nil)
            }
            try await client.execute(uri: "/alerts/\(stored[0].id)/ack", method: .post, headers: [.authorization: "Bearer wrong"]) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/alerts/\(stored[0].id)/ack", method: .post, headers: APIFixture.auth) { response in
                #expect(response.status == .ok)
                let alert = response.body.json["alert"] as? [String: Any]
                #expect(alert?["acknowledged"] as? Bool == true)
                #expect(alert?["acked_at"] as? Int == 1_700_000_000_000)
            }
            try await client.execute(uri: "/alerts/999/ack", method: .post, headers: APIFixture.auth) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/alerts/x1/ack", method: .post, headers: APIFixture.auth) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/alerts?acknowledged=false", method: .get) { response in
                #expect((response.body.json["alerts"] as? [[String: Any]])?.count == 1)
            }
        }
    }

    @Test func withoutAConfiguredTokenMutatingEndpointsAreRefused() async throws {
        let fixture = try APIFixture()
        try await fixture.app { $0.token = nil }.test(.router) { client in
            try await client.execute(uri: "/realtime/start", method: .post, headers: APIFixture.auth,
                                     body: ByteBuffer(string: #"{"symbols": ["BTC/USDT"]}"#)) { response in
                #expect(response.status == .forbidden)
                #expect(((response.body.json["error"] as? [String: Any])?["message"] as? String)?.contains("CHLOE_API_TOKEN") == true)
            }
            try await client.execute(uri: "/realtime/status", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func unknownMethodsAndPlainGetsOfTheWebSocketAreClientErrors() async throws {
        let fixture = try APIFixture()
        try await fixture.app { $0.token = nil }.test(.router) { client in
            try await client.execute(uri: "/alerts", method: .delete) { response in
                #expect((400..<500).contains(response.status.code))
                #expect(response.status != .forbidden, "the token check guards only mutating routes that exist")
            }
            try await client.execute(uri: "/realtime/ws", method: .get) { response in
                #expect(response.status == .upgradeRequired)
                #expect(response.body.json["error"] != nil)
            }
        }
    }

    @Test func constantTimeCompareMatchesEquality() {
        let compare = BearerTokenCheck.constantTimeEqual
        #expect(compare(Array("abc".utf8), Array("abc".utf8)))
        #expect(!compare(Array("abc".utf8), Array("abd".utf8)))
        #expect(!compare(Array("abc".utf8), Array("abcd".utf8)))
        #expect(!compare([], Array("a".utf8)))
        #expect(!compare(Array(repeating: 0, count: 256), []))
    }

    @Test(arguments: [
        ("{", "not valid JSON"),
        (#"{"symbols": 5}"#, "array of strings"),
        (#"{"symbols": []}"#, "must not be empty"),
        (#"{"symbols": "BTC/USDT"}"#, "array of strings"),
        (#"{"symbols": [7]}"#, "symbols[0] must be a string"),
        (#"{"symbols": ["\#(String(repeating: "A", count: 3000))"]}"#, "at most 64"),
        (#"{"symbols": ["BTC USDT"]}"#, "characters"),
        (#"{"symbols": ["BTC/USDT"], "exchange": "nyse"}"#, "unknown exchange"),
        (#"{"symbols": ["BTC/USDT"], "exchange": 3}"#, "'exchange' must be a string"),
        (#"{"symbol": ["BTC/USDT"]}"#, "unknown field"),
        (#"[1]"#, "JSON object"),
    ])
    func badRealtimeStartBodiesAre400s(_ body: String, _ expected: String) async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/realtime/start", method: .post, headers: APIFixture.auth, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .badRequest)
                let message = (response.body.json["error"] as? [String: Any])?["message"] as? String
                #expect(message?.contains(expected) == true, "\(message ?? "no message")")
            }
        }
    }

    @Test func realtimeStartAndStopChangeTheFollowedSymbols() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/realtime/start", method: .post, headers: APIFixture.auth,
                                     body: ByteBuffer(string: #"{"symbols": ["BTC/USDT", "ETHUSDT"], "exchange": "binance"}"#)) { response in
                #expect(response.status == .ok)
                #expect(response.body.json["changed"] as? [String] == ["BTC/USDT", "ETHUSDT"])
            }
            try await client.execute(uri: "/realtime/start", method: .post, headers: APIFixture.auth,
                                     body: ByteBuffer(string: #"{"symbols": ["BTC/USDT"], "exchange": "kraken"}"#)) { response in
                #expect(response.status == .conflict)
            }
            try await client.execute(uri: "/realtime/stop", method: .post, headers: APIFixture.auth,
                                     body: ByteBuffer(string: #"{"symbols": ["ETHUSDT"], "exchange": "binance"}"#)) { response in
                #expect(response.body.json["symbols"] as? [String] == ["BTC/USDT"])
            }
            try await client.execute(uri: "/realtime/status", method: .get) { response in
                #expect(response.body.json["running"] as? Bool == true)
                #expect((response.body.json["symbols"] as? [[String: Any]])?.map { $0["symbol"] as? String } == ["BTC/USDT"])
            }
        }
    }

    @Test func oversizedBodiesAre413s() async throws {
        let fixture = try APIFixture()
        try await fixture.app { $0.maxBodyBytes = 2048 }.test(.router) { client in
            let body = #"{"symbols": ["\#(String(repeating: "A", count: 5000))"]}"#
            try await client.execute(uri: "/realtime/start", method: .post, headers: APIFixture.auth, body: ByteBuffer(string: body)) { response in
                #expect(response.status == .contentTooLarge)
                #expect(((response.body.json["error"] as? [String: Any])?["message"] as? String)?.contains("2048") == true)
            }
        }
    }

    @Test func latestSignalsAndSymbolDataComeFromTheRealtimeState() async throws {
        let fixture = try APIFixture()
        await fixture.realtime.record(Records.signal(time: 10))
        await fixture.realtime.record(Records.signal("ETH/USDT", time: 11, level: .rated(.sell)))
        await fixture.realtime.record(SymbolSnapshot(symbol: "BTC/USDT", exchange: "sim", lastPrice: 100, indicators: ["rsi": 40],
                                                     feed: Signal.Feed(quality: 1, lastEventAgeMilliseconds: 5, bookInSync: true)))
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/realtime/signals?level=sell", method: .get) { response in
                #expect((response.body.json["signals"] as? [[String: Any]])?.map { $0["symbol"] as? String } == ["ETH/USDT"])
            }
            try await client.execute(uri: "/realtime/data/BTC%2FUSDT", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.body.json["last_price"] as? Double == 100)
            }
            try await client.execute(uri: "/realtime/data/DOGEUSDT", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func strategiesGoThroughTheCatalog() async throws {
        let fixture = try APIFixture(strategies: RecordingStrategyCatalog())
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/strategies", method: .get) { response in
                #expect((response.body.json["strategies"] as? [[String: Any]])?.map { $0["name"] as? String } == ["trend"])
            }
            try await client.execute(uri: "/strategies/trend", method: .get) { response in
                #expect(response.body.json["source"] as? String == "return {}")
            }
            try await client.execute(uri: "/strategies/missing", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/strategies/trend", method: .put, body: ByteBuffer(string: "return {}")) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/strategies/trend", method: .put, headers: APIFixture.auth,
                                     body: ByteBuffer(string: "local x = 1\nerror(\n")) { response in
                #expect(response.status == .unprocessableContent)
                #expect(((response.body.json["error"] as? [String: Any])?["message"] as? String)?.contains("line 2") == true)
            }
            try await client.execute(uri: "/strategies/bad%20name", method: .put, headers: APIFixture.auth, body: ByteBuffer(string: "x")) { response in
                #expect(response.status == .badRequest)
            }
            try await client.execute(uri: "/strategies/fresh", method: .put, headers: APIFixture.auth, body: ByteBuffer(string: "return {}")) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/strategies/fresh/reload", method: .post, headers: APIFixture.auth) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/strategies/ghost/reload", method: .post, headers: APIFixture.auth) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func unwiredRuntimeAnswers404NotA5xx() async throws {
        let fixture = try APIFixture()
        try await fixture.app().test(.router) { client in
            for (uri, method) in [("/strategies", HTTPRequest.Method.get), ("/model", .get), ("/strategies/x", .put)] {
                try await client.execute(uri: uri, method: method, headers: APIFixture.auth, body: ByteBuffer(string: "return {}")) { response in
                    #expect(response.status == .notFound)
                }
            }
        }
    }

    @Test func corsIsOffUnlessConfigured() async throws {
        let fixture = try APIFixture()
        let origin: HTTPFields = [.origin: "https://dash.example"]
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/health", method: .get, headers: origin) { response in
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
        }
        try await fixture.app { $0.corsOrigins = ["https://dash.example"] }.test(.router) { client in
            try await client.execute(uri: "/health", method: .get, headers: origin) { response in
                #expect(response.headers[.accessControlAllowOrigin] == "https://dash.example")
            }
            try await client.execute(uri: "/health", method: .get, headers: [.origin: "https://evil.example"]) { response in
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
        }
    }
}
