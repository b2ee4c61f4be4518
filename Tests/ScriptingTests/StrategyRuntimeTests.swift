import Foundation
import Indicators
import Model
import Testing
@testable import Scripting

/// A strategy's life on one symbol: ctx, indicators, levels, risk, params, alerts.
@Suite struct StrategyRuntimeTests {
    static let rsiStrategy = """
    return {
      params = { period = 5, low = 40, high = 60 },
      indicators = function(p) return { rsi = ind.rsi(p.period), macd = ind.macd(3, 6, 2), bb = ind.bbands(5, 2) } end,
      on_candle = function(ctx)
        local rsi = ctx.ind.rsi
        if not rsi then return nil end
        if rsi < ctx.params.low then return "buy", "low rsi", 0.7 end
        if rsi > ctx.params.high then return -2, "high rsi" end
        return "neutral", "middle"
      end,
    }
    """

    @Test func levelsReasonsConfidenceAndIndicatorValues() throws {
        let library = StrategyFixtures.library()
        let version = try library.upsert(name: "rsi", source: Self.rsiStrategy)
        let runner = SymbolStrategies(library: library, view: MarketView(symbol: "BTC/USDT", exchange: "test"))
        var out = Collected()
        let candles = StrategyFixtures.candles(60)
        runner.feed(candles, into: &out)
        #expect(out.faults.isEmpty)
        #expect(out.signals.count == 55) // RSI(5) needs 5 changes
        let buy = try #require(out.signals.first { $0.level == .buy })
        #expect(buy.reason == "low rsi" && buy.confidence == 0.7)
        #expect(buy.strategy == "rsi" && buy.symbol == "BTC/USDT" && buy.trigger == "1m" && !buy.isShadow)
        #expect(buy.sourceHash == SHA256.hex(Self.rsiStrategy) && buy.version == version.number)
        let sell = try #require(out.signals.first { $0.level == .strongSell })
        #expect(sell.confidence == 1 && sell.reason == "high rsi")
        // the indicator values match a streaming RSI fed the same candles
        var rsi = try RSI(period: 5)
        var expected: Double?
        for candle in candles where candle.time <= buy.time { expected = try rsi.update(candle.close) }
        #expect(buy.indicators["rsi"] == expected)
        #expect(buy.indicators["macd.hist"] != nil && buy.indicators["macd.value"] != nil && buy.indicators["bb.upper"] != nil)
        // in declared order (keys sorted, then each indicator's outputs); those still warming
        // up (MACD on the first signals) are left out
        let outputs = ["bb.upper", "bb.middle", "bb.lower", "macd.value", "macd.signal", "macd.hist", "rsi"]
        #expect(out.signals.last?.indicators.names == outputs)
        #expect(out.signals.first?.indicators.names == ["bb.upper", "bb.middle", "bb.lower", "rsi"])
        #expect(out.signals.first { $0.level == .neutral }?.risk == nil)
        #expect(version.manifest.indicators == ["rsi": "rsi:5", "macd": "macd:3:6:2", "bb": "bbands:5:2"])
    }

    @Test func contextCarriesMarketBookCandleHistoryTradesAndModel() throws {
        let library = StrategyFixtures.library()
        try library.upsert(name: "ctx", source: """
        return {
          on_tick = function(ctx)
            local h, t = ctx.history(2), ctx.trades(10)
            local p = ctx.model.probabilities
            return "buy", string.format("%s %s %d %g %g %g %g %g %s %d %g %g %d %s %g %g %s %s %s",
              ctx.symbol, ctx.exchange, ctx.now, ctx.price, ctx.bid, ctx.ask, ctx.spread, ctx.imbalance,
              ctx.timeframe, #h, h[2].close, ctx.candle.close, #t, t[2].side, t[2].size,
              p.buy, ctx.model.rating, tostring(ctx.model.score), ctx.model.version)
          end,
        }
        """)
        let view = MarketView(symbol: "ETH/USDT", exchange: "kraken")
        let runner = SymbolStrategies(library: library, view: view)
        for candle in StrategyFixtures.candles(3, start: 0) { _ = runner.onCandle(timeframe: "1m", candle: candle) }
        view.record(trade: TradeRecord(price: 101, size: 2, side: .buy, time: 200_000))
        view.record(trade: TradeRecord(price: 102, size: 3, side: .sell, time: 200_500))
        view.bid = 101.5
        view.ask = 102.5
        view.bookImbalance = 0.25
        view.rating = .buy
        view.probabilities = [0.05, 0.1, 0.2, 0.4, 0.25]
        view.modelVersion = "m1"
        let out = runner.onTick()
        let close2 = StrategyFixtures.candles(3, start: 0)[2].close
        #expect(out.faults.isEmpty, "\(out.faults)")
        #expect(out.signals.first?.reason == "ETH/USDT kraken 200500 102 101.5 102.5 1 0.25 1m 2 \(String(format: "%g", close2)) \(String(format: "%g", close2)) 2 sell 3 0.4 buy 1.0 m1")
        #expect(out.signals.first?.trigger == "tick")
        // optional fields vanish when the view loses them
        view.bid = nil
        view.rating = nil
        try library.upsert(name: "ctx", source: "return { on_tick = function(ctx) return 'buy', tostring(ctx.bid) .. tostring(ctx.spread) .. tostring(ctx.model.rating) end }")
        #expect(runner.onTick().signals.first?.reason == "nilnilnil")
    }

    /// `ctx.history(n, field)` and `ctx.trades(n, field)`: one field as a flat list; an
    /// unknown field is an error at the caller's line naming the fields there are.
    @Test func historyAndTradesGiveOneFieldAsAList() throws {
        let library = StrategyFixtures.library()
        try library.upsert(name: "fields", source: """
        return { on_tick = function(ctx)
          local closes, sides = ctx.history(3, "close"), ctx.trades(5, "side")
          return "buy", table.concat(closes, ",") .. "|" .. table.concat(sides, ",") .. "|" .. #ctx.history(0, "open")
            .. "|" .. string.format("%d", ctx.history(9, "time")[2]) .. "|" .. math.type(ctx.trades(1, "size")[1])
        end }
        """)
        let view = MarketView(symbol: "A/B", exchange: "t")
        let runner = SymbolStrategies(library: library, view: view)
        let candles = StrategyFixtures.candles(4, start: 0)
        for candle in candles { _ = runner.onCandle(timeframe: "1m", candle: candle) }
        view.record(trade: TradeRecord(price: 101, size: 2, side: .buy, time: 300_000))
        view.record(trade: TradeRecord(price: 102, size: 3, side: .sell, time: 300_500))
        let out = runner.onTick()
        #expect(out.faults.isEmpty, "\(out.faults)")
        let closes = candles.suffix(3).map { String(format: "%.14g", $0.close) }.joined(separator: ",")
        #expect(out.signals.first?.reason == "\(closes)|buy,sell|0|\(candles[1].time)|float")

        try library.upsert(name: "fields", source: """
        return { on_tick = function(ctx)
          return "buy", tostring(#ctx.history(2, "closing"))
        end }
        """)
        let fault = try #require(runner.onTick().faults.first)
        #expect(fault.line == 2)
        #expect(fault.message.contains("bad argument #2 to 'history' (no field 'closing'; the fields are time, open, high, low, close, volume)"),
                "\(fault.message)")
    }

    /// The model travels with the step that follows its change: the rating by score, the
    /// version only when it changed, and cleared fields read nil.
    @Test func modelChangesReachTheRunningState() throws {
        let library = StrategyFixtures.library()
        try library.upsert(name: "m", source: """
        return { on_tick = function(ctx)
          local m = ctx.model
          return "buy", string.format("%s %s %s %s", tostring(m.rating), tostring(m.score), tostring(m.version),
            tostring(m.probabilities.strong_sell))
        end }
        """)
        let view = MarketView(symbol: "A/B", exchange: "t")
        let runner = SymbolStrategies(library: library, view: view)
        var reasons: [String?] = [runner.onTick().signals.first?.reason]
        view.rating = .strongSell
        view.modelVersion = "m1"
        view.probabilities = [0.5, 0.2, 0.1, 0.1, 0.1]
        reasons.append(runner.onTick().signals.first?.reason)
        view.rating = .neutral
        view.probabilities = [0.25, 0.2, 0.3, 0.15, 0.1]
        reasons.append(runner.onTick().signals.first?.reason)  // same version
        reasons.append(runner.onTick().signals.first?.reason)  // nothing changed
        view.rating = nil
        view.probabilities = nil
        reasons.append(runner.onTick().signals.first?.reason)
        view.modelVersion = "m2"
        view.rating = .strongBuy
        reasons.append(runner.onTick().signals.first?.reason)
        #expect(reasons == ["nil nil nil nil", "strong_sell -2.0 m1 0.5", "neutral 0.0 m1 0.25", "neutral 0.0 m1 0.25",
                            "nil nil m1 nil", "strong_buy 2.0 m2 nil"])
    }

    @Test func perSymbolParameterOverrides() throws {
        let library = StrategyFixtures.library()
        try library.upsert(name: "p", source: "return { params = { n = 1, flag = false, label = 'x' }, on_candle = function(ctx) return 'buy', ctx.params.label .. ctx.params.n .. tostring(ctx.params.flag) end }")
        let plain = SymbolStrategies(library: library, view: MarketView(symbol: "A/B", exchange: "t"))
        let tuned = SymbolStrategies(library: library, view: MarketView(symbol: "C/D", exchange: "t"),
                                     parameterOverrides: ["p": ["n": .number(7), "flag": .boolean(true), "label": .string("y")]])
        let candle = StrategyFixtures.candles(1)[0]
        #expect(plain.onCandle(timeframe: "1m", candle: candle).signals.first?.reason == "x1false")
        #expect(tuned.onCandle(timeframe: "1m", candle: candle).signals.first?.reason == "y7true")
        let wrong = SymbolStrategies(library: library, view: MarketView(symbol: "E/F", exchange: "t"),
                                     parameterOverrides: ["p": ["n": .string("seven")]])
        let out = wrong.onCandle(timeframe: "1m", candle: candle)
        #expect(out.signals.isEmpty)
        #expect(out.faults.first?.message.contains("parameter override 'n' is a string; the strategy declares a number") == true)
        #expect(out.notices.first?.kind == .reloadFailed)
    }

    @Test func riskGetsTheHostProposalAndCanVetoOrChangeIt() throws {
        let configuration = StrategyRuntimeConfiguration(
            limits: StrategyFixtures.testConfiguration.limits,
            risk: RiskPolicy(equity: 10_000, riskFraction: 0.02, atrPeriod: 3, stopMultiple: 2, takeProfitMultiple: 3))
        let library = StrategyFixtures.library(configuration: configuration)
        try library.upsert(name: "r", source: """
        return {
          on_candle = function(ctx)
            ctx.state.n = (ctx.state.n or 0) + 1
            local n = ctx.state.n
            if n == 6 then return "buy", "plain" end
            if n == 7 then return "sell", "veto" end
            if n == 8 then return "buy", "half" end
            if n == 9 then return "sell", "in place" end
            return nil
          end,
          risk = function(ctx, proposal)
            if ctx.state.n == 7 then return false, "no shorts" end
            if ctx.state.n == 8 then return { size = proposal.size / 2, note = "half size" } end
            if ctx.state.n == 9 then
              proposal.size, proposal.stop, proposal.note = 1, nil, "fixed"
              return proposal
            end
            ctx.state.proposal = proposal.side .. proposal.entry
          end,
        }
        """)
        let runner = SymbolStrategies(library: library, view: MarketView(symbol: "A/B", exchange: "t"))
        let candles = StrategyFixtures.candles(9)
        var out = Collected()
        runner.feed(candles, into: &out)
        #expect(out.faults.isEmpty, "\(out.faults)")
        var atr = try ATR(period: 3)
        var atrs: [Double] = []
        for candle in candles { atrs.append(try atr.update(high: candle.high, low: candle.low, close: candle.close) ?? .nan) }
        let plain = try #require(out.signals.first { $0.reason == "plain" }?.risk)
        #expect(abs(plain.size - 200 / (2 * atrs[5])) < 1e-9)
        #expect(abs(plain.stopLoss! - (candles[5].close - 2 * atrs[5])) < 1e-9)
        #expect(abs(plain.takeProfit! - (candles[5].close + 3 * atrs[5])) < 1e-9)
        #expect(!plain.vetoed)
        let veto = try #require(out.signals.first { $0.reason == "veto" }?.risk)
        #expect(veto.vetoed && veto.size == 0 && veto.note == "no shorts")
        #expect(abs(veto.stopLoss! - (candles[6].close + 2 * atrs[6])) < 1e-9)
        let half = try #require(out.signals.first { $0.reason == "half" }?.risk)
        #expect(abs(half.size - 100 / (2 * atrs[7])) < 1e-9 && half.note == "half size")
        let changed = try #require(out.signals.first { $0.reason == "in place" }?.risk)  // the proposal itself, changed
        #expect(changed.size == 1 && changed.stopLoss == nil && changed.note == "fixed" && !changed.vetoed)
        #expect(abs(changed.takeProfit! - (candles[8].close - 3 * atrs[8])) < 1e-9)
    }

    @Test func alertsFireOnTheRisingEdgeOutsideTheirCooldown() throws {
        let library = StrategyFixtures.library()
        try library.upsert(name: "a", source: """
        local pattern = { false, true, true, false, true, false, false, true, true }
        return {
          alerts = {
            flip = { when = function(ctx)
              ctx.state.i = (ctx.state.i or 0) + 1
              return pattern[ctx.state.i], "flip at " .. ctx.state.i
            end, cooldown = 200, severity = "critical" },
          },
        }
        """)
        let runner = SymbolStrategies(library: library, view: MarketView(symbol: "A/B", exchange: "t"))
        var out = Collected()
        runner.feed(StrategyFixtures.candles(9), into: &out) // one minute apart
        // edges at 2, 5, 8; 5 is 180 s after 2, inside the 200 s cooldown
        #expect(out.alerts.map(\.message) == ["flip at 2", "flip at 8"])
        #expect(out.alerts.allSatisfy { $0.severity == .critical && $0.name == "flip" && $0.strategy == "a" })
    }

    @Test func alertGateEdgesAndCooldown() {
        var gate = AlertGate(cooldowns: [1_000, 0])
        var fired: [[Int]] = []
        for (now, mask) in [(0, 0b11), (100, 0b11), (200, 0b00), (300, 0b11), (1_500, 0b00), (1_600, 0b01)] as [(Int64, UInt64)] {
            var batch: [Int] = []
            gate.update(mask: mask, now: now) { batch.append($0) }
            fired.append(batch)
        }
        #expect(fired == [[0, 1], [], [], [1], [], [0]])
    }

    @Test func aStrategyFollowsItsOwnTimeframe() throws {
        let library = StrategyFixtures.library()
        try library.upsert(name: "five", source: "return { timeframe = '5m', indicators = { sma = ind.sma(2) }, on_candle = function(ctx) return 'buy', tostring(ctx.ind.sma) .. ' ' .. #ctx.history() end }")
        let runner = SymbolStrategies(library: library, view: MarketView(symbol: "A/B", exchange: "t"))
        let candles = StrategyFixtures.candles(3)
        var out = Collected()
        runner.feed(candles, into: &out)
        #expect(out.signals.isEmpty)
        runner.feed(candles, timeframe: "5m", into: &out)
        let mean = { (a: Double, b: Double) in String(format: "%.14g", (a + b) / 2) }
        #expect(out.signals.map(\.reason) == ["nil 1", "\(mean(candles[0].close, candles[1].close)) 2", "\(mean(candles[1].close, candles[2].close)) 3"])
        #expect(out.signals.allSatisfy { $0.trigger == "5m" })
    }

    @Test func badResultsFailAtTheCallbackLine() throws {
        let library = StrategyFixtures.library()
        try library.upsert(name: "bad", source: "return {\n  on_candle = function(ctx)\n    return 'moon', 'to the'\n  end,\n}\n")
        let runner = SymbolStrategies(library: library, view: MarketView(symbol: "A/B", exchange: "t"))
        let fault = try #require(runner.onCandle(timeframe: "1m", candle: StrategyFixtures.candles(1)[0]).faults.first)
        #expect(fault.file == "bad.lua" && fault.line == 2)
        #expect(fault.message.contains("on_candle returned \"moon\" as the level"))
    }

    /// A state is built with the collector waiting longer between cycles: garbage made while
    /// the strategy loads and runs `init` (far more than its 8 MiB memory limit) is still
    /// collected, so it loads and runs.
    @Test func garbageMadeWhileAStateIsBuiltIsCollected() throws {
        let library = StrategyFixtures.library()
        try library.upsert(name: "churn", source: """
        local made = 0
        for i = 1, 40 do made = made + #(string.rep("x", 1 << 20) .. i) end
        return {
          init = function(state)
            for i = 1, 5000 do state.last = { i, tostring(i) } end
            for i = 1, 40 do state.size = #(string.rep("y", 1 << 20) .. i) end
          end,
          on_candle = function(ctx) return "buy", "made " .. made .. ", last " .. ctx.state.last[2] end,
        }
        """)
        let runner = SymbolStrategies(library: library, view: MarketView(symbol: "BTC/USDT", exchange: "test"))
        var out = Collected()
        runner.feed(StrategyFixtures.candles(3), into: &out)
        #expect(out.faults.isEmpty, "\(out.faults)")
        #expect(out.signals.map(\.reason) == Array(repeating: "made 41943111, last 5000", count: 3))
    }

    /// The runtime's own chunk carries no debug information: an error raised inside it (here
    /// by a `__pairs` metamethod that returns no iterator) comes without Lua's `?:-1:` placeholder.
    @Test func errorInsideTheRuntimeHasNoPlaceholderPosition() throws {
        let library = StrategyFixtures.library()
        let source = """
        return setmetatable({ on_candle = function(ctx) return nil end }, { __pairs = function(t) return 42 end })
        """
        do {
            try library.upsert(name: "odd_pairs", source: source)
            Issue.record("expected the setup to fail")
        } catch {
            #expect(error.message.contains("attempt to call a number value"), "\(error.message)")
            #expect(!error.message.contains("?:-1"), "\(error.message)")
            #expect(error.file == "odd_pairs.lua")
        }
    }

    @Test func sha256MatchesKnownDigests() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(String(repeating: "a", count: 1_000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
