-- Bollinger breakout: a close outside the bands on above-average volume.
local h = require("helpers")

return {
  description = "Bollinger breakout with a volume filter",
  timeframe = "1m",
  params = { period = 20, width = 2, volume_period = 20, volume_factor = 1.5 },

  indicators = function(p)
    return { bb = ind.bbands(p.period, p.width) }
  end,

  on_candle = function(ctx)
    local bb, p, candle = ctx.ind.bb, ctx.params, ctx.candle
    if bb.upper == nil then return nil end
    local volumes = ctx.history(p.volume_period, "volume")
    if #volumes < p.volume_period then return nil end
    local average = h.mean(volumes)
    if candle.volume < average * p.volume_factor then return nil end
    local ratio = candle.volume / average
    if candle.close > bb.upper then
      return "buy", string.format("close %s above the upper band on %.1fx volume", h.price(candle.close), ratio),
        h.clamp(ratio / (2 * p.volume_factor), 0.4, 1)
    elseif candle.close < bb.lower then
      return "sell", string.format("close %s below the lower band on %.1fx volume", h.price(candle.close), ratio),
        h.clamp(ratio / (2 * p.volume_factor), 0.4, 1)
    end
    return nil
  end,

  alerts = {
    squeeze = {
      when = function(ctx)
        local bb = ctx.ind.bb
        if bb.upper == nil or bb.middle == 0 then return false end
        local width = (bb.upper - bb.lower) / bb.middle
        if width >= 0.002 then return false end
        return true, string.format("%s bands squeezed to %.2f%%", ctx.symbol, width * 100)
      end,
      severity = "info",
      cooldown = 1800,
    },
  },
}
