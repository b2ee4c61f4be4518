import Exchanges
import Foundation
@testable import Host
import Testing

@Suite struct ConfigTests {
    @Test func emptyFileGivesEveryDefault() throws {
        let configuration = try ChloeConfiguration(yaml: "")
        #expect(configuration == ChloeConfiguration())
        #expect(configuration.api.host == "127.0.0.1")
        #expect(configuration.api.port == 8080)
        #expect(configuration.api.token == nil)
        #expect(configuration.api.corsOrigins.isEmpty)
        #expect(configuration.pipeline.candleIntervals == ["1m", "5m", "15m", "1h"])
        #expect(configuration.pipeline.ringSize == 1000)
        #expect(configuration.feeds.first?.exchange == .sim)
        #expect(configuration.strategies.dir == "strategies")
        #expect(configuration.model.path == "models/default.json")
    }

    @Test func bundledConfigurationFileStatesTheDefaults() throws {
        let path = DocumentationTests.root.appendingPathComponent("chloe.yaml").path
        let configuration = try ChloeConfiguration.load(path: path, environment: [:])
        #expect(configuration == ChloeConfiguration())
    }

    @Test func fileValuesAreRead() throws {
        let configuration = try ChloeConfiguration(yaml: """
            api:
              host: 0.0.0.0
              port: 9001
              token: s3cret
              cors_origins: [https://a.example, https://b.example]
            storage: { data_dir: /tmp/x, retention_days: 7, batch_size: 10, batch_interval_ms: 5 }
            feeds:
              - exchange: binance
                symbols: [BTCUSDT, ETH/USDT]
                options: { depth: 20 }
            pipeline: { candle_intervals: [30s, 4h], ring_size: 50, feed_quality_threshold: 0.8, caller_runs_after_idle_us: 35 }
            strategies:
              dir: my-strategies
              params:
                rsi_reversal:
                  period: 14
                  mode: fast
                  symbols:
                    BTC/USDT: { period: 10 }
              limits: { instructions: 5000 }
            alerts:
              cooldown_seconds: 5
              webhooks:
                - url: https://hooks.example/x
                  format: slack
                  retries: 1
            risk: { equity: 500, risk_fraction: 0.02 }
            log_level: debug
            """)
        #expect(configuration.api.host == "0.0.0.0")
        #expect(configuration.api.port == 9001)
        #expect(configuration.api.token == "s3cret")
        #expect(configuration.api.corsOrigins == ["https://a.example", "https://b.example"])
        #expect(configuration.storage.dataDir == "/tmp/x")
        #expect(configuration.storage.batchSize == 10)
        #expect(configuration.feeds == [FeedSettings(exchange: .binance, symbols: ["BTCUSDT", "ETH/USDT"], options: ["depth": "20"])])
        #expect(configuration.pipeline.candleIntervals == ["30s", "4h"])
        #expect(configuration.pipeline.feedQualityThreshold == 0.8)
        #expect(configuration.pipeline.callerRunsAfterIdleMicroseconds == 35)
        let params = try #require(configuration.strategies.params["rsi_reversal"])
        #expect(params.values(for: "ETH/USDT") == ["period": .number(14), "mode": .text("fast")])
        #expect(params.values(for: "BTC/USDT") == ["period": .number(10), "mode": .text("fast")])
        #expect(configuration.strategies.instructionLimit == 5000)
        #expect(configuration.alerts.webhooks == [WebhookSettings(url: "https://hooks.example/x", format: .slack, retries: 1)])
        #expect(configuration.alerts.cooldownSeconds == 5)
        #expect(configuration.risk.equity == 500)
        #expect(configuration.logLevel == "debug")
    }

    @Test func environmentOverridesTheFileAtAnyLevel() throws {
        let configuration = try ChloeConfiguration(yaml: "api:\n  port: 9001\n  token: from-file\n", environment: [
            "CHLOE_API_PORT": "9100",
            "CHLOE_API_TOKEN": "from-env",
            "CHLOE_API_CORS_ORIGINS": "https://a.example, https://b.example",
            "CHLOE_STORAGE_DATA_DIR": "/var/lib/chloe",
            "CHLOE_FEEDS": "[{exchange: kraken, symbols: [XBT/USD]}]",
            "CHLOE_PIPELINE": "{ring_size: 77}",
            "UNRELATED": "x",
        ])
        #expect(configuration.api.port == 9100)
        #expect(configuration.api.token == "from-env")
        #expect(configuration.api.corsOrigins == ["https://a.example", "https://b.example"])
        #expect(configuration.storage.dataDir == "/var/lib/chloe")
        #expect(configuration.feeds == [FeedSettings(exchange: .kraken, symbols: ["XBT/USD"])])
        #expect(configuration.pipeline.ringSize == 77)
        #expect(configuration.pipeline.candleIntervals == ["1m", "5m", "15m", "1h"])
        #expect(configuration.pipeline.callerRunsAfterIdleMicroseconds == 20)
    }

    @Test func callerRunsCanBeTurnedOffAndRefusesOtherWords() throws {
        let off = try ChloeConfiguration(yaml: "pipeline: { caller_runs_after_idle_us: off }\n")
        #expect(off.pipeline.callerRunsAfterIdleMicroseconds == nil)
        let fromEnvironment = try ChloeConfiguration(yaml: "", environment: ["CHLOE_PIPELINE_CALLER_RUNS_AFTER_IDLE_US": "0"])
        #expect(fromEnvironment.pipeline.callerRunsAfterIdleMicroseconds == 0)
        let word = #expect(throws: ConfigurationError.self) {
            try ChloeConfiguration(yaml: "pipeline:\n  caller_runs_after_idle_us: sometimes\n", file: "c.yaml")
        }
        #expect(word?.keyPath == "pipeline.caller_runs_after_idle_us")
        #expect(word?.description.contains("microseconds") == true)
        let negative = #expect(throws: ConfigurationError.self) {
            try ChloeConfiguration(yaml: "pipeline: { caller_runs_after_idle_us: -5 }\n")
        }
        #expect(negative?.description.contains("out of range") == true)
    }

    @Test func closeRehearsalDefaultsToASecondAndCanBeTurnedOff() throws {
        #expect(try ChloeConfiguration(yaml: "").pipeline.closeRehearsalMilliseconds == 1000)
        #expect(try ChloeConfiguration(yaml: "pipeline: { close_rehearsal_ms: off }\n").pipeline.closeRehearsalMilliseconds == nil)
        let fromEnvironment = try ChloeConfiguration(yaml: "", environment: ["CHLOE_PIPELINE_CLOSE_REHEARSAL_MS": "250"])
        #expect(fromEnvironment.pipeline.closeRehearsalMilliseconds == 250)
        let zero = #expect(throws: ConfigurationError.self) {
            try ChloeConfiguration(yaml: "pipeline:\n  close_rehearsal_ms: 0\n", file: "c.yaml")
        }
        #expect(zero?.keyPath == "pipeline.close_rehearsal_ms")
        let word = #expect(throws: ConfigurationError.self) {
            try ChloeConfiguration(yaml: "pipeline: { close_rehearsal_ms: early }\n")
        }
        #expect(word?.description.contains("milliseconds") == true)
        // what the daemon's pipeline gets
        #expect(try DaemonPipeline.pipelineConfiguration(ChloeConfiguration(yaml: "")).closeRehearsal == CloseRehearsalSettings(lead: .seconds(1)))
        #expect(try DaemonPipeline.pipelineConfiguration(fromEnvironment).closeRehearsal?.lead == .milliseconds(250))
        #expect(try DaemonPipeline.pipelineConfiguration(ChloeConfiguration(yaml: "pipeline: { close_rehearsal_ms: off }\n")).closeRehearsal == nil)
    }

    @Test func eventLoopsAreAutoANumberOrRefused() throws {
        #expect(try ChloeConfiguration(yaml: "").eventLoops == nil)
        #expect(try ChloeConfiguration(yaml: "event_loops: auto\n").eventLoops == nil)
        #expect(try ChloeConfiguration(yaml: "event_loops: 3\n").eventLoops == 3)
        #expect(try ChloeConfiguration(yaml: "", environment: ["CHLOE_EVENT_LOOPS": "2"]).eventLoops == 2)
        let word = #expect(throws: ConfigurationError.self) { try ChloeConfiguration(yaml: "event_loops: many\n", file: "c.yaml") }
        #expect(word?.keyPath == "event_loops")
        #expect(word?.description.contains("1-256") == true)
        let zero = #expect(throws: ConfigurationError.self) { try ChloeConfiguration(yaml: "event_loops: 0\n") }
        #expect(zero?.description.contains("out of range") == true)
    }

    @Test func autoEventLoopsAreHalfTheCoresUnlessNIOsVariableIsSet() throws {
        let auto = ChloeConfiguration()
        #expect(auto.eventLoopCount(cores: 1, environment: [:]) == 1)
        #expect(auto.eventLoopCount(cores: 2, environment: [:]) == 1)
        #expect(auto.eventLoopCount(cores: 8, environment: [:]) == 4)
        #expect(auto.eventLoopCount(cores: 8, environment: ["NIO_SINGLETON_GROUP_LOOP_COUNT": "3"]) == nil)
        var set = ChloeConfiguration()
        set.eventLoops = 6
        #expect(set.eventLoopCount(cores: 2, environment: ["NIO_SINGLETON_GROUP_LOOP_COUNT": "3"]) == 6)
    }

    @Test func badValueNamesKeyPathFileAndLine() {
        let error = #expect(throws: ConfigurationError.self) {
            try ChloeConfiguration(yaml: "api:\n  host: localhost\n  port: eighty\n", file: "my.yaml")
        }
        #expect(error?.keyPath == "api.port")
        #expect(error?.location == "my.yaml:3:9")
        #expect(error?.description.contains("whole number") == true)
    }

    @Test func outOfRangeAndUnknownKeysAreRefused() {
        let range = #expect(throws: ConfigurationError.self) { try ChloeConfiguration(yaml: "api:\n  port: 70000\n") }
        #expect(range?.description.contains("out of range") == true)
        let typo = #expect(throws: ConfigurationError.self) { try ChloeConfiguration(yaml: "api:\n  prot: 80\n", file: "c.yaml") }
        #expect(typo?.keyPath == "api.prot")
        #expect(typo?.location == "c.yaml:2:3")
        let top = #expect(throws: ConfigurationError.self) { try ChloeConfiguration(yaml: "apis: {}\n") }
        #expect(top?.keyPath == "apis")
    }

    @Test func listElementsAreNamedByIndex() {
        let error = #expect(throws: ConfigurationError.self) {
            try ChloeConfiguration(yaml: "feeds:\n  - exchange: sim\n    symbols: [A/B]\n  - exchange: nasdaq\n    symbols: [X]\n")
        }
        #expect(error?.keyPath == "feeds[1].exchange")
        #expect(error?.location == "chloe.yaml:4:15")
        #expect(error?.message.contains("binance") == true)
    }

    @Test func environmentErrorsNameTheVariable() {
        let error = #expect(throws: ConfigurationError.self) {
            try ChloeConfiguration(yaml: "", environment: ["CHLOE_API_PORT": "abc"])
        }
        #expect(error?.keyPath == "api.port")
        #expect(error?.location == "environment CHLOE_API_PORT")
    }

    @Test func yamlSyntaxErrorsHaveALine() {
        let error = #expect(throws: ConfigurationError.self) {
            try ChloeConfiguration(yaml: "api:\n  port: 1\n  host: [unclosed\n", file: "bad.yaml")
        }
        #expect(error?.location.hasPrefix("bad.yaml:") == true)
        #expect(error?.message.contains("not valid YAML") == true)
    }

    @Test func webhooksAreChecked() {
        let url = #expect(throws: ConfigurationError.self) {
            try ChloeConfiguration(yaml: "alerts:\n  webhooks:\n    - url: ftp://x\n")
        }
        #expect(url?.keyPath == "alerts.webhooks[0].url")
        let telegram = #expect(throws: ConfigurationError.self) {
            try ChloeConfiguration(yaml: "alerts:\n  webhooks:\n    - url: https://api.telegram.org/botX/sendMessage\n      format: telegram\n")
        }
        #expect(telegram?.keyPath == "alerts.webhooks[0].chat_id")
        let format = #expect(throws: ConfigurationError.self) {
            try ChloeConfiguration(yaml: "alerts:\n  webhooks:\n    - url: https://x.example\n      format: xml\n")
        }
        #expect(format?.message.contains("json, slack, discord or telegram") == true)
    }

    @Test func badIntervalsAreRefused() {
        let error = #expect(throws: ConfigurationError.self) {
            try ChloeConfiguration(yaml: "pipeline:\n  candle_intervals: [1m, 7x]\n")
        }
        #expect(error?.keyPath == "pipeline.candle_intervals")
        #expect(PipelineSettings.seconds(of: "15m") == 900)
        #expect(PipelineSettings.seconds(of: "1d") == 86_400)
        #expect(PipelineSettings.seconds(of: "m") == nil)
    }

    @Test func missingFileIsAClearError() {
        let error = #expect(throws: ConfigurationError.self) {
            try ChloeConfiguration.load(path: "/nonexistent/chloe.yaml", environment: [:])
        }
        #expect(error?.location == "/nonexistent/chloe.yaml")
        #expect(error?.message.contains("cannot read") == true)
    }
}
