/// The Lua half of the strategy runtime, run first in every strategy state (chunk name
/// `chloe-runtime`). It installs the sandboxed `require` (plugin sources handed in by the host,
/// loaded per state) and the `ind` constructors, and returns the functions the host drives a
/// strategy with: `plugin` (hand in a plugin source), `setup` (check the strategy table, resolve
/// params, indicators and alerts, migrate and init the state), `step` (one event: the strategy's
/// callback, the risk rule, the alert conditions, in one protected call) and `required`.
///
/// The functions live in this chunk's locals, which a script cannot reach (no `debug`), so a
/// strategy that replaces globals or `ctx` fields only changes what it sees itself; `step`
/// restores the `ctx` fields the host owns before every call.
enum StrategyPrelude {
    /// Chunk name errors inside the runtime point into.
    static let chunkName = "chloe-runtime"

    /// The prelude compiled once for every state, without debug information: a third smaller
    /// and faster to load in each state. Its own errors carry the strategy's positions (level-2
    /// errors, `located`), and errors passing through it are attributed to the innermost frame
    /// that has a line, the strategy's.
    static let bytecode: LuaBytecode = {
        do throws(LuaError) {
            return try LuaState(limits: LuaLimits(instructionBudget: nil))
                .compile(source: source, name: chunkName, strippingDebugInformation: true)
        } catch {
            fatalError("the strategy runtime prelude does not compile: \(error)")
        }
    }()

    /// Most alerts one strategy may declare (their states travel as bits of one integer,
    /// read as a `Double`, which holds 53 bits exactly).
    static let maximumAlerts = 52

    /// The checks of the strategy table (fields and their types, timeframe, params): a chunk
    /// of its own, run only in the state that validates a version (its per-symbol states skip
    /// them), before the strategy. Returns `{ check = function(module, file) }`, which returns
    /// the problem or nil.
    static let checkBytecode: LuaBytecode = {
        do throws(LuaError) {
            return try LuaState(limits: LuaLimits(instructionBudget: nil))
                .compile(source: checkSource, name: chunkName, strippingDebugInformation: true)
        } catch {
            fatalError("the strategy table checks do not compile: \(error)")
        }
    }()

    static let checkSource = #"""
-- the globals captured when this chunk runs, before the strategy does
local type, pairs, tostring, find = type, pairs, tostring, string.find
local FIELDS = {
  name = "string", description = "string", version = "string|number", timeframe = "string",
  params = "table", indicators = "table|function", on_tick = "function", on_candle = "function",
  risk = "function", alerts = "table", init = "function", migrate = "function",
}
local FIELD_LIST = "alerts, description, indicators, init, migrate, name, on_candle, on_tick, params, risk, timeframe, version"

local function check(module, file)
  if type(module) ~= "table" then
    return file .. ": the strategy file must return a table (it returned " .. type(module) .. "); end it with `return { ... }`"
  end
  for key, value in pairs(module) do
    local want = FIELDS[key]
    if want == nil then
      return file .. ": unknown field '" .. tostring(key) .. "' in the strategy table (known: " .. FIELD_LIST .. ")"
    end
    if not find("|" .. want .. "|", "|" .. type(value) .. "|", 1, true) then
      return file .. ": field '" .. key .. "' is a " .. type(value) .. "; expected " .. want:gsub("|", " or ")
    end
  end
  if module.on_tick == nil and module.on_candle == nil and module.alerts == nil then
    return file .. ": the strategy defines none of on_candle, on_tick, alerts, so it can never produce anything"
  end
  if module.timeframe ~= nil and not module.timeframe:match("^%d+[smhdw]$") then
    return file .. ": timeframe '" .. module.timeframe .. "' is not a candle interval such as 1m, 5m, 1h, 1d"
  end
  for key, value in pairs(module.params or {}) do
    local kind = type(value)
    if type(key) ~= "string" then return file .. ": params keys must be names (got " .. type(key) .. ")" end
    if kind ~= "number" and kind ~= "boolean" and kind ~= "string" then
      return file .. ": param '" .. key .. "' is a " .. kind .. "; params are numbers, booleans or strings"
    end
  end
  return nil
end

return { check = check }
"""#

    static let source = #"""
-- handed in by the host: where(f), series(p) making a history function, the indicator
-- declaration host function and the known indicator names
local where, series, ind_make, known = ...
local type, pairs, ipairs, error, tostring, select, load, pcall, rawset, setmetatable, tsort, mtype, format, find =
      type, pairs, ipairs, error, tostring, select, load, pcall, rawset, setmetatable, table.sort, math.type, string.format, string.find
local gmatch, match, print, concat = string.gmatch, string.match, print, table.concat

local function located(f, text)
  local file, line = where(f)
  if file then return file .. ":" .. line .. ": " .. text end
  return text
end

-- require: plugins/ only, each module loaded once per state
local plugin_sources, loaded, required, LOADING = {}, {}, {}, {}
function require(name)
  if type(name) ~= "string" then
    error("bad argument #1 to 'require' (string expected, got " .. type(name) .. ")", 2)
  end
  local value = loaded[name]
  if value == LOADING then error("loop while requiring plugin '" .. name .. "'", 2) end
  if value ~= nil then return value end
  local source = plugin_sources[name]
  if source == nil then
    error("module '" .. name .. "' not found: require loads only plugins/<name>.lua (no plugins/" .. name .. ".lua)", 2)
  end
  required[name] = true
  loaded[name] = LOADING
  local chunk, message = source, nil
  if type(source) == "string" then
    chunk, message = load(source, "=plugins/" .. name .. ".lua", "t")
    if not chunk then error(message, 0) end
  end
  local result = chunk(name)
  if result == nil then result = true end
  loaded[name] = result
  return result
end

-- ind.<name>(params...): an indicator declaration the host checks at once. The constructor
-- of a name is made on first use (a strategy uses a few of the known indicators).
local declarations = setmetatable({}, { __mode = "k" })
local known_list = ", " .. known .. ", "
ind = setmetatable({}, {
  __index = function(self, name)
    if type(name) ~= "string" or not find(name, "^[%w_]+$") or not find(known_list, ", " .. name .. ", ", 1, true) then
      error("unknown indicator 'ind." .. tostring(name) .. "'; known: " .. known, 2)
    end
    local function declare(...)
      local ok, id = pcall(ind_make, name, ...)
      if not ok then error(id, 2) end
      local declaration = { indicator = name }
      declarations[declaration] = id
      return declaration
    end
    rawset(self, name, declare)
    return declare
  end,
  __newindex = function() error("ind is read-only", 2) end,
})

local SEVERITIES = { info = true, warning = true, critical = true }
local LEVELS = { strong_sell = -2, sell = -1, neutral = 0, buy = 1, strong_buy = 2,
                 [-2] = -2, [-1] = -1, [0] = 0, [1] = 1, [2] = 2 }

-- The per-state strategy, set by setup.
local M, P, S, ctx, messages
local on_candle, on_tick, risk_fn
local alert_names, alert_fns, alert_count = {}, {}, 0
-- ctx fields the host owns, restored before every step
local o_ind, o_candle, o_model, o_history, o_trades, o_log, o_symbol, o_exchange
local proposal = {}
-- What the host feeds: the candle and model tables, the indicator outputs' destinations
-- (table and key per output) and the inbox the host writes numbers into before a candle
-- step (1-6: the candle, then one per output; NaN: no value); the risk policy.
local candle, model, probabilities = {}, {}, {}
local out_tables, out_keys, out_count, inbox = {}, {}, 0, {}
local risk_budget, stop_multiple, take_multiple = 0, 0, 0
local RATING_NAMES = { [-2] = "strong_sell", [-1] = "sell", [0] = "neutral", [1] = "buy", [2] = "strong_buy" }
local CANDLE_FIELDS = { "time", "open", "high", "low", "close", "volume" }

-- check: the strategy table's checks (a chunk of its own, passed when the version is
-- validated; nil in the states of a version that passed them). Returns the problem, or nil
-- then: timeframe, flags (1 on_candle, 2 on_tick, 4 risk), the indicators as `key id` lines
-- (sorted), the alert names as lines (sorted), their severities and cooldowns (seconds)
-- separated by spaces, and the params table where the version is validated.
local function setup(module, file, overrides, context, message_table, carried, check)
  if check then
    local problem = check(module, file)
    if problem then return problem end
  end
  M, ctx, messages = module, context, message_table
  P = {}
  for key, value in pairs(module.params or {}) do P[key] = value end
  for key, value in pairs(overrides) do
    local declared = P[key]
    if declared == nil then
      return file .. ": parameter override '" .. key .. "' names no param of the strategy"
    end
    if type(declared) ~= type(value) then
      return file .. ": parameter override '" .. key .. "' is a " .. type(value) .. "; the strategy declares a " .. type(declared)
    end
    if mtype(declared) == "integer" and mtype(value) == "float" then value = math.tointeger(value) or value end
    P[key] = value
  end
  local declared = module.indicators or {}
  if type(declared) == "function" then
    declared = declared(P)
    if type(declared) ~= "table" then
      return located(module.indicators, "indicators(params) returned " .. type(declared) .. "; expected a table")
    end
  end
  local indicators = {}
  for key, value in pairs(declared) do
    if type(key) ~= "string" or not key:match("^[%a_][%w_]*$") then
      return file .. ": indicator key " .. tostring(key) .. " is not a name"
    end
    local id = declarations[value]
    if id == nil then
      return file .. ": indicators." .. key .. " is a " .. type(value) .. "; declare it with ind.<name>(params), e.g. ind.rsi(14)"
    end
    indicators[key] = id
  end
  local names = {}
  for name, entry in pairs(module.alerts or {}) do
    if type(name) ~= "string" then return file .. ": alert names must be strings" end
    if type(entry) == "function" then entry = { when = entry } ; module.alerts[name] = entry end
    if type(entry) ~= "table" or type(entry.when) ~= "function" then
      return file .. ": alert '" .. name .. "' needs a `when = function(ctx) ... end` condition"
    end
    if entry.severity ~= nil and not SEVERITIES[entry.severity] then
      return located(entry.when, "alert '" .. name .. "': severity '" .. tostring(entry.severity) .. "' is not info, warning or critical")
    end
    if entry.cooldown ~= nil and (type(entry.cooldown) ~= "number" or entry.cooldown < 0) then
      return located(entry.when, "alert '" .. name .. "': cooldown must be a number of seconds >= 0")
    end
    names[#names + 1] = name
  end
  if #names > ]]=] .. MAXALERTS .. [=[[ then return file .. ": too many alerts (" .. #names .. ")" end
  tsort(names)
  alert_names, alert_fns, alert_count = names, {}, #names
  local severities, cooldowns = {}, {}
  for i, name in ipairs(names) do
    local entry = module.alerts[name]
    alert_fns[i] = entry.when
    severities[i], cooldowns[i] = entry.severity or "warning", format("%.17g", entry.cooldown or 60)
  end
  on_candle, on_tick, risk_fn = module.on_candle, module.on_tick, module.risk
  S = carried or {}
  if carried and module.migrate then
    local migrated = module.migrate(carried)
    if migrated ~= nil then
      if type(migrated) ~= "table" then
        return located(module.migrate, "migrate(old_state) returned " .. type(migrated) .. "; expected a table or nil")
      end
      S = migrated
    end
  end
  ctx.params, ctx.state = P, S
  if module.init then
    local replaced = module.init(S, P)
    if type(replaced) == "table" then S = replaced; ctx.state = S end
  end
  local keys = {}
  for key in pairs(indicators) do keys[#keys + 1] = key end
  tsort(keys)
  for i, key in ipairs(keys) do keys[i] = key .. " " .. indicators[key] end
  return nil, module.timeframe or "1m",
    (on_candle and 1 or 0) + (on_tick and 2 or 0) + (risk_fn and 4 or 0),
    concat(keys, "\n"), concat(names, "\n"), concat(severities, " "), concat(cooldowns, " "), check and P or nil
end

-- Fills the ctx fields the host owns and remembers them. `layout` names the indicator
-- outputs in inbox order, one a line: `rsi` (a number in ctx.ind) or `macd.hist` (a field of
-- a table in ctx.ind). `box` becomes the inbox, holding a number in every slot (so the host
-- overwrites them in place, without allocating).
local function bind(symbol, exchange, timeframe, history, trades, layout, box, budget, stop_m, take_m)
  local ind = {}
  out_tables, out_keys, out_count = {}, {}, 0
  for entry in gmatch(layout, "[^\n]+") do
    local key, field = match(entry, "^([^.]+)%.(.+)$")
    out_count = out_count + 1
    if key then
      local t = ind[key]
      if t == nil then t = {}; ind[key] = t end
      out_tables[out_count], out_keys[out_count] = t, field
    else
      out_tables[out_count], out_keys[out_count] = ind, entry
    end
  end
  for i = 1, out_count + 6 do box[i] = 0 end
  inbox = box
  model.probabilities = probabilities
  risk_budget, stop_multiple, take_multiple = budget, stop_m, take_m
  ctx.symbol, ctx.exchange, ctx.timeframe = symbol, exchange, timeframe
  ctx.candle, ctx.ind, ctx.model, ctx.log = candle, ind, model, print
  ctx.history, ctx.trades = series(history), series(trades)
  o_ind, o_candle, o_model, o_history = ctx.ind, ctx.candle, ctx.model, ctx.history
  o_trades, o_log, o_symbol, o_exchange = ctx.trades, ctx.log, ctx.symbol, ctx.exchange
end

local function restore()
  rawset(ctx, "ind", o_ind); rawset(ctx, "candle", o_candle); rawset(ctx, "model", o_model)
  rawset(ctx, "history", o_history); rawset(ctx, "trades", o_trades); rawset(ctx, "log", o_log)
  rawset(ctx, "symbol", o_symbol); rawset(ctx, "exchange", o_exchange)
  rawset(ctx, "params", P); rawset(ctx, "state", S)
end

local function describe(value)
  if type(value) == "string" then return format("%q", value) end
  return tostring(value) .. " (" .. type(value) .. ")"
end

local function number_or_nil(fn, what, value)
  if value == nil or type(value) == "number" then return value end
  error(located(fn, "risk: " .. what .. " is " .. describe(value) .. "; expected a number or nil"), 0)
end

-- One event. kind 1: candle close, 2: tick, 3: candle close that only updates ctx (no
-- callback, no alert). The market fields come as arguments (nil: unknown); a candle's fields
-- and the indicator outputs are in the inbox. The model comes along when it changed since the
-- last step (`rating` false: unchanged; else the rating's score -2..2 or nil, the version or
-- false when that did not change, and the five class probabilities), so a candle close is one
-- call. Returns the alert mask, then, when the callback gave a level: score, confidence,
-- reason, size, stop, take_profit, vetoed, note.
local running  -- the callback being run, for errors without a position (memory)
local w_now, w_price, w_bid, w_ask, w_bid_size, w_ask_size, w_imbalance
local function step(kind, now, price, bid, ask, bid_size, ask_size, imbalance, atr, rating, version, p1, p2, p3, p4, p5)
  local ctx = ctx
  if rating ~= false then
    model.score, model.rating = rating, rating and RATING_NAMES[rating]  -- the name of a score
    if version ~= false then model.version = version end
    local p = probabilities
    p.strong_sell, p.sell, p.neutral, p.buy, p.strong_buy = p1, p2, p3, p4, p5
  end
  if ctx.ind ~= o_ind or ctx.candle ~= o_candle or ctx.model ~= o_model or ctx.history ~= o_history
    or ctx.trades ~= o_trades or ctx.log ~= o_log or ctx.symbol ~= o_symbol or ctx.exchange ~= o_exchange
    or ctx.params ~= P or ctx.state ~= S then
    restore()
  end
  -- the market fields, written when they changed (a store of nil into an absent field is slow)
  if now ~= w_now then ctx.now, w_now = now, now end
  if price ~= w_price then ctx.price, w_price = price, price end
  if bid ~= w_bid or ask ~= w_ask then
    ctx.bid, ctx.ask, w_bid, w_ask = bid, ask, bid, ask
    ctx.spread = bid and ask and ask - bid
  end
  if bid_size ~= w_bid_size or ask_size ~= w_ask_size or imbalance ~= w_imbalance then
    ctx.bid_size, ctx.ask_size, ctx.imbalance = bid_size, ask_size, imbalance
    w_bid_size, w_ask_size, w_imbalance = bid_size, ask_size, imbalance
  end
  if kind ~= 2 then
    local box, c = inbox, candle
    for i = 1, 6 do
      local value = box[i]
      if value ~= value then value = nil end
      c[CANDLE_FIELDS[i]] = value
    end
    for i = 1, out_count do
      local value = box[6 + i]
      if value ~= value then value = nil end
      out_tables[i][out_keys[i]] = value
    end
    if kind == 3 then return 0 end
  end
  local fn = kind == 1 and on_candle or on_tick
  local score, reason, confidence, vetoed, note, size, stop, take
  if fn then
    local level
    running = fn
    level, reason, confidence = fn(ctx)
    if level ~= nil then
      score = LEVELS[level]
      if score == nil then
        error(located(fn, (kind == 1 and "on_candle" or "on_tick") .. " returned " .. describe(level)
          .. " as the level; expected strong_sell, sell, neutral, buy, strong_buy or -2..2 (nil for no signal)"), 0)
      end
      if reason ~= nil and type(reason) ~= "string" then reason = tostring(reason) end
      if confidence ~= nil then
        if type(confidence) ~= "number" or confidence ~= confidence then
          error(located(fn, "the confidence (third result) is " .. describe(confidence) .. "; expected a number 0..1"), 0)
        end
        if confidence < 0 then confidence = 0 elseif confidence > 1 then confidence = 1 end
      end
      if score ~= 0 then
        local side = score > 0 and 1 or -1
        if atr and atr > 0 and stop_multiple > 0 and price then
          local stop_distance = stop_multiple * atr
          size, stop, take = risk_budget / stop_distance, price - side * stop_distance, price + side * take_multiple * atr
        else
          size = (price and price > 0) and risk_budget / price or 0
        end
        -- the proposal table only for a risk rule (it is the rule's to read and change)
        if risk_fn then
          proposal.side = side > 0 and "buy" or "sell"
          proposal.entry, proposal.atr, proposal.size, proposal.stop, proposal.take_profit = price, atr, size, stop, take
          proposal.veto, proposal.note = nil, nil
          running = risk_fn
          local verdict, why = risk_fn(ctx, proposal)
          if verdict == false then
            vetoed, note = true, why
          elseif type(verdict) == "table" then
            if verdict ~= proposal then for key, value in pairs(verdict) do proposal[key] = value end end
          elseif verdict ~= nil and verdict ~= true then
            error(located(risk_fn, "risk returned " .. describe(verdict) .. "; expected nil, true, false or a table"), 0)
          end
          size = number_or_nil(risk_fn, "size", proposal.size)
          stop = number_or_nil(risk_fn, "stop", proposal.stop)
          take = number_or_nil(risk_fn, "take_profit", proposal.take_profit)
          vetoed = vetoed or proposal.veto == true
          note = note or proposal.note
          if note ~= nil then note = tostring(note) end
        end
      end
    end
  end
  local mask = 0
  for i = 1, alert_count do
    running = alert_fns[i]
    local on, message = alert_fns[i](ctx)
    if on then
      mask = mask | (1 << (i - 1))
      if message ~= nil then message = tostring(message) end
      messages[i] = message
    end
  end
  if score == nil then return mask end
  if score == 0 then size = nil end
  return mask, score, confidence, reason, size, stop, take, vetoed or false, note
end

-- source: the plugin's text (validation), or its chunk loaded from the host's bytecode
local function plugin(name, source) plugin_sources[name] = source end
local function modules()
  local names = {}
  for name in pairs(required) do names[#names + 1] = name end
  tsort(names)
  return table.concat(names, "\n")
end

local function locate() return where(running) end

return { plugin = plugin, setup = setup, bind = bind, step = step, required = modules, locate = locate }
"""#.replacingOccurrences(of: "]]=] .. MAXALERTS .. [=[[", with: String(maximumAlerts))
}
