---@meta chloe
-- LuaLS definitions for Chloe strategies (docs/lua-api.md). Add this folder to
-- `workspace.library` in .luarc.json so editors complete and type-check strategies.

---@alias chloe.Level "strong_sell"|"sell"|"neutral"|"buy"|"strong_buy"|-2|-1|0|1|2
---@alias chloe.Severity "info"|"warning"|"critical"
---@alias chloe.ParamValue number|boolean|string

---A declared built-in indicator (returned by `ind.<name>(...)`; put it in `indicators`).
---@class chloe.IndicatorDeclaration
---@field indicator string

---Built-in indicators: names and parameters as in `chloe indicators` (docs/indicators.md).
---@class chloe.Indicators
ind = {}
---@param period? integer
---@return chloe.IndicatorDeclaration
function ind.sma(period) end
---@param period? integer
---@return chloe.IndicatorDeclaration
function ind.ema(period) end
---@param period? integer
---@return chloe.IndicatorDeclaration
function ind.wma(period) end
---@param period? integer
---@return chloe.IndicatorDeclaration
function ind.dema(period) end
---@param period? integer
---@return chloe.IndicatorDeclaration
function ind.tema(period) end
---@param period? integer
---@return chloe.IndicatorDeclaration
function ind.rsi(period) end
---Outputs `value`, `signal`, `hist`.
---@param fast? integer
---@param slow? integer
---@param signal? integer
---@return chloe.IndicatorDeclaration
function ind.macd(fast, slow, signal) end
---Outputs `upper`, `middle`, `lower`.
---@param period? integer
---@param nbdev? number
---@return chloe.IndicatorDeclaration
function ind.bbands(period, nbdev) end
---@param period? integer
---@param nbdev? number
---@return chloe.IndicatorDeclaration
function ind.stddev(period, nbdev) end
---@param period? integer
---@return chloe.IndicatorDeclaration
function ind.roc(period) end
---@param period? integer
---@return chloe.IndicatorDeclaration
function ind.mom(period) end
---Outputs `k`, `d`.
---@param period? integer
---@param fastk? integer
---@param fastd? integer
---@return chloe.IndicatorDeclaration
function ind.stochrsi(period, fastk, fastd) end
---@param period? integer
---@return chloe.IndicatorDeclaration
function ind.linearreg_slope(period) end
---@return chloe.IndicatorDeclaration
function ind.trange() end
---@param period? integer
---@return chloe.IndicatorDeclaration
function ind.atr(period) end
---@param period? integer
---@return chloe.IndicatorDeclaration
function ind.natr(period) end
---Outputs `k`, `d`.
---@param fastk? integer
---@param slowk? integer
---@param slowd? integer
---@return chloe.IndicatorDeclaration
function ind.stoch(fastk, slowk, slowd) end
---@param period? integer
---@return chloe.IndicatorDeclaration
function ind.adx(period) end
---@param period? integer
---@return chloe.IndicatorDeclaration
function ind.plus_di(period) end
---@param period? integer
---@return chloe.IndicatorDeclaration
function ind.minus_di(period) end
---@param period? integer
---@return chloe.IndicatorDeclaration
function ind.cci(period) end
---@param period? integer
---@return chloe.IndicatorDeclaration
function ind.willr(period) end
---@param period? integer
---@return chloe.IndicatorDeclaration
function ind.mfi(period) end
---@return chloe.IndicatorDeclaration
function ind.obv() end
---@param acceleration? number
---@param maximum? number
---@return chloe.IndicatorDeclaration
function ind.sar(acceleration, maximum) end
---Outputs `down`, `up`.
---@param period? integer
---@return chloe.IndicatorDeclaration
function ind.aroon(period) end
---Outputs `upper`, `middle`, `lower`.
---@param period? integer
---@return chloe.IndicatorDeclaration
function ind.donchian(period) end
---Outputs `upper`, `middle`, `lower`.
---@param period? integer
---@param multiplier? number
---@return chloe.IndicatorDeclaration
function ind.keltner(period, multiplier) end
---Session VWAP, or rolling over `window` candles.
---@param window? integer
---@return chloe.IndicatorDeclaration
function ind.vwap(window) end

---Loads `plugins/<name>.lua` (and nothing else), once per (strategy, symbol) state.
---@param name string
---@return any
function require(name) end

---@class chloe.Candle
---@field time number open time, epoch ms
---@field open number
---@field high number
---@field low number
---@field close number
---@field volume number

---@class chloe.Trade
---@field time number epoch ms
---@field price number
---@field size number
---@field side "buy"|"sell"

---@class chloe.Probabilities
---@field strong_sell number?
---@field sell number?
---@field neutral number?
---@field buy number?
---@field strong_buy number?

---@class chloe.Model
---@field rating "strong_sell"|"sell"|"neutral"|"buy"|"strong_buy"|nil nil without a model
---@field score integer? -2..2
---@field version string?
---@field probabilities chloe.Probabilities

---Indicator values by the keys declared in `indicators`: a number, or a table of named
---outputs (`value`/`signal`/`hist`, `upper`/`middle`/`lower`, `k`/`d`, `down`/`up`); nil while warming up.
---@alias chloe.IndicatorValues table<string, number|table<string, number>>

---@class chloe.Context
---@field symbol string canonical BASE/QUOTE
---@field exchange string
---@field timeframe string
---@field now number event time, epoch ms
---@field price number?
---@field bid number?
---@field ask number?
---@field bid_size number?
---@field ask_size number?
---@field spread number?
---@field imbalance number? -1..1
---@field candle chloe.Candle last closed candle of the timeframe
---@field ind chloe.IndicatorValues
---@field model chloe.Model
---@field params table<string, chloe.ParamValue>
---@field state table per-symbol state, carried over reloads
---@field history fun(n?: integer): chloe.Candle[] last n closed candles, oldest first
---@field trades fun(n?: integer): chloe.Trade[] last n trades, oldest first
---@field log fun(...: any) a line to the host's log

---@class chloe.Proposal
---@field side "buy"|"sell"
---@field entry number? nil while no price is known
---@field size number
---@field stop number?
---@field take_profit number?
---@field atr number? nil while the ATR warms up
---@field veto boolean?
---@field note string?

---@class chloe.Alert
---@field when fun(ctx: chloe.Context): boolean?, string?
---@field severity chloe.Severity? default "warning"
---@field cooldown number? seconds, default 60

---@class chloe.Strategy
---@field name string?
---@field description string?
---@field version string|number|nil
---@field timeframe string? default "1m"
---@field params table<string, chloe.ParamValue>?
---@field indicators table<string, chloe.IndicatorDeclaration>|fun(params: table<string, chloe.ParamValue>): table<string, chloe.IndicatorDeclaration>|nil
---@field on_candle fun(ctx: chloe.Context): chloe.Level?, string?, number?
---@field on_tick fun(ctx: chloe.Context): chloe.Level?, string?, number?
---@field risk fun(ctx: chloe.Context, proposal: chloe.Proposal): boolean|table|nil, string?
---@field alerts table<string, chloe.Alert|fun(ctx: chloe.Context): boolean?, string?>?
---@field init fun(state: table, params: table<string, chloe.ParamValue>): table?
---@field migrate fun(old_state: table): table?
