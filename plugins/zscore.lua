-- plugins/zscore.lua: a rolling z-score written in Lua, with its own state per symbol.
--
--   local zscore = require("zscore")
--   local z = zscore.new(30)          -- keep one per symbol, e.g. in ctx.state
--   local value = zscore.update(z, close)  -- nil until `period` values were seen
--
-- The state is a plain table (numbers only), so it survives hot reloads in ctx.state.
local zscore = {}

--- A new rolling window of `period` values.
function zscore.new(period)
  assert(type(period) == "number" and period >= 2, "zscore.new(period): period must be a number >= 2")
  return { period = period, values = {}, next = 1, count = 0, sum = 0, sumsq = 0 }
end

--- Adds `x`; returns (x - mean) / stddev over the window, or nil while it fills up.
function zscore.update(window, x)
  local old = window.values[window.next]
  if old then
    window.sum = window.sum - old
    window.sumsq = window.sumsq - old * old
  else
    window.count = window.count + 1
  end
  window.values[window.next] = x
  window.sum = window.sum + x
  window.sumsq = window.sumsq + x * x
  window.next = window.next % window.period + 1
  if window.count < window.period then return nil end
  local mean = window.sum / window.period
  local variance = window.sumsq / window.period - mean * mean
  if variance <= 0 then return 0 end
  return (x - mean) / math.sqrt(variance)
end

return zscore
