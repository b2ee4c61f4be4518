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

--- Mean of field `field` over a list of rows (e.g. ctx.history(20), "volume").
function helpers.mean(rows, field)
  if #rows == 0 then return nil end
  local sum = 0
  for i = 1, #rows do sum = sum + rows[i][field] end
  return sum / #rows
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
