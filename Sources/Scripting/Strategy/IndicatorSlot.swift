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

    init(_ lua: LuaState) throws(LuaError) {
        symbol = try lua.key("symbol"); exchange = try lua.key("exchange"); timeframe = try lua.key("timeframe")
        candle = try lua.key("candle"); ind = try lua.key("ind"); model = try lua.key("model")
        probabilities = try lua.key("probabilities"); history = try lua.key("history"); trades = try lua.key("trades")
        log = try lua.key("log")
        now = try lua.key("now"); price = try lua.key("price"); bid = try lua.key("bid"); ask = try lua.key("ask")
        spread = try lua.key("spread"); bidSize = try lua.key("bid_size"); askSize = try lua.key("ask_size")
        imbalance = try lua.key("imbalance")
        time = try lua.key("time"); open = try lua.key("open"); high = try lua.key("high"); low = try lua.key("low")
        close = try lua.key("close"); volume = try lua.key("volume")
        rating = try lua.key("rating"); score = try lua.key("score"); version = try lua.key("version")
        levels = try ["strong_sell", "sell", "neutral", "buy", "strong_buy"].map { name throws(LuaError) in try lua.key(name) }
    }
}
