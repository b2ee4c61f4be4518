import Indicators

/// One declared indicator of an instance: the streaming indicator and where its values go in
/// `ctx.ind` — a number under the strategy's key for a one-output indicator (`ctx.ind.rsi`),
/// a table of named outputs otherwise (`ctx.ind.macd.hist`, `ctx.ind.bb.upper`; MACD's main
/// line is `value`). An output still warming up is `nil`.
struct IndicatorSlot {
    var indicator: any CandleIndicator
    /// Names in results: `rsi`, `macd.value`, `macd.hist`, ...
    let names: [String]
    private let table: LuaTable
    private let keys: [LuaKey]
    private var present: [Bool]

    init(key: String, spec: IndicatorSpec, table indTable: LuaTable, lua: LuaState) throws(LuaError) {
        do {
            indicator = try spec.makeIndicator()
        } catch {
            throw LuaError.missingFunction("ind.\(spec.definition.name)", found: "\(error)")
        }
        let outputs = indicator.outputNames
        if outputs.count == 1 {
            names = [key]
            table = indTable
            keys = [try lua.key(key)]
        } else {
            let fields = outputs.map { $0.isEmpty ? "value" : $0 }
            names = fields.map { "\(key).\($0)" }
            table = try lua.newTable()
            keys = try fields.map { field throws(LuaError) in try lua.key(field) }
            try indTable.set(try lua.key(key), table)
        }
        present = Array(repeating: false, count: keys.count)
    }

    /// Writes the current values into Lua (in place once a value exists).
    mutating func publish() throws(LuaError) {
        for index in keys.indices {
            let value = indicator.value(index)
            if value.isFinite {
                try table.set(keys[index], value)
                present[index] = true
            } else if present[index] {
                try table.remove(keys[index])
                present[index] = false
            }
        }
    }
}

/// The `ctx` field names, interned once per state.
struct ContextKeys {
    let symbol, exchange, timeframe, candle, ind, model, probabilities, history, trades, log: LuaKey
    let now, price, bid, ask, spread, bidSize, askSize, imbalance: LuaKey
    let time, open, high, low, close, volume: LuaKey
    let rating, score, version: LuaKey
    /// Probability fields, strong_sell ... strong_buy.
    let levels: [LuaKey]

    static let names = [
        "symbol", "exchange", "timeframe", "candle", "ind", "model", "probabilities", "history", "trades", "log",
        "now", "price", "bid", "ask", "spread", "bid_size", "ask_size", "imbalance",
        "time", "open", "high", "low", "close", "volume", "rating", "score", "version",
        "strong_sell", "sell", "neutral", "buy", "strong_buy",
    ]

    /// Interns every name in one protected call.
    init(_ lua: LuaState) throws(LuaError) {
        let k = try lua.keys(Self.names)
        (symbol, exchange, timeframe, candle, ind, model, probabilities, history, trades, log) =
            (k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7], k[8], k[9])
        (now, price, bid, ask, spread, bidSize, askSize, imbalance) = (k[10], k[11], k[12], k[13], k[14], k[15], k[16], k[17])
        (time, open, high, low, close, volume) = (k[18], k[19], k[20], k[21], k[22], k[23])
        (rating, score, version) = (k[24], k[25], k[26])
        levels = Array(k[27...31])
    }
}
