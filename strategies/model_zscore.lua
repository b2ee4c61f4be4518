-- Model + z-score: fade price stretches (a Lua indicator from plugins/zscore.lua, with its
-- state per symbol) unless the ML model's rating disagrees; without a model it trades the
-- z-score alone with less confidence.
local zscore = require("zscore")

local AGREES = { buy = { buy = true, strong_buy = true }, sell = { sell = true, strong_sell = true } }

return {
  description = "ML rating confirmed by a Lua z-score indicator",
  timeframe = "1m",
  params = { window = 30, threshold = 2.0 },

  indicators = { rsi = ind.rsi(14) },

  init = function(state, params)
    -- a reload with a new window size starts a fresh window
    if state.z == nil or state.z.period ~= params.window then
      state.z = zscore.new(params.window)
    end
  end,

  migrate = function(old_state)
    old_state.migrated = (old_state.migrated or 0) + 1
    return old_state
  end,

  on_candle = function(ctx)
    local z = zscore.update(ctx.state.z, ctx.candle.close)
    ctx.state.last_z = z
    if z == nil then return nil end
    local side
    if z <= -ctx.params.threshold then side = "buy" elseif z >= ctx.params.threshold then side = "sell" end
    if side == nil then return nil end
    local rating = ctx.model.rating
    local reason = string.format("z-score %.2f", z)
    if rating == nil then
      return side, reason .. " (no model rating)", 0.4
    end
    if AGREES[side][rating] then
      local p = ctx.model.probabilities[rating] or 0.5
      return "strong_" .. side, reason .. ", model says " .. rating, math.max(0.6, p)
    end
    return "neutral", reason .. " but the model says " .. rating, 0.5
  end,

  alerts = {
    stretched = {
      when = function(ctx)
        local z = ctx.state.last_z
        return z ~= nil and math.abs(z) > 3, string.format("%s price %.1f standard deviations from its mean", ctx.symbol, z or 0)
      end,
      severity = "critical",
      cooldown = 600,
    },
  },
}
