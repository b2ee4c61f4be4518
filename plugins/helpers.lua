-- plugins/helpers.lua: small shared helpers for strategies.
--
--   local h = require("helpers")
local helpers = {}

--- True when `value` crossed above `level` between `previous` and `value`.
function helpers.crossed_above(previous, value, level)
  return previous ~= nil and value ~= nil and previous <= level and value > level
end

--- True when `value` crossed below `level` between `previous` and `value`.
function helpers.crossed_below(previous, value, level)
  return previous ~= nil and value ~= nil and previous >= level and value < level
end

--- Mean of a list of numbers (e.g. ctx.history(20, "volume")), or of field `field` over a
--- list of rows (e.g. ctx.history(20), "volume"); nil for an empty list.
function helpers.mean(list, field)
  local n = #list
  if n == 0 then return nil end
  local sum = 0
  if field == nil then
    for i = 1, n do sum = sum + list[i] end
  else
    for i = 1, n do sum = sum + list[i][field] end
  end
  return sum / n
end

--- `x` limited to lo..hi.
function helpers.clamp(x, lo, hi)
  if x < lo then return lo elseif x > hi then return hi end
  return x
end

--- Formats a price with 8 significant digits.
function helpers.price(x)
  return string.format("%.8g", x)
end

return helpers
