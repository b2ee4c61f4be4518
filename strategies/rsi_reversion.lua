-- RSI mean reversion: buy when RSI is oversold, sell when it is overbought.
local h = require("helpers")

return {
  description = "RSI mean reversion",
  timeframe = "1m",
  params = { period = 14, oversold = 30, overbought = 70, extreme = 10 },

  indicators = function(p)
    return { rsi = ind.rsi(p.period) }
  end,

  on_candle = function(ctx)
    local rsi, p = ctx.ind.rsi, ctx.params
    if rsi == nil then return nil end
    if rsi <= p.oversold - p.extreme then
      return "strong_buy", "RSI " .. string.format("%.1f", rsi) .. " deeply oversold", 0.9
    elseif rsi <= p.oversold then
      return "buy", "RSI " .. string.format("%.1f", rsi) .. " oversold", h.clamp((p.oversold - rsi) / p.extreme, 0.3, 1)
    elseif rsi >= p.overbought + p.extreme then
      return "strong_sell", "RSI " .. string.format("%.1f", rsi) .. " deeply overbought", 0.9
    elseif rsi >= p.overbought then
      return "sell", "RSI " .. string.format("%.1f", rsi) .. " overbought", h.clamp((rsi - p.overbought) / p.extreme, 0.3, 1)
    end
    return nil
  end,

  -- A wide spread eats the edge of a mean-reversion trade.
  risk = function(ctx, proposal)
    if ctx.spread and ctx.price and ctx.spread > ctx.price * 0.002 then
      return false, "spread too wide"
    end
    return proposal
  end,

  alerts = {
    rsi_extreme = {
      when = function(ctx)
        local rsi = ctx.ind.rsi
        if rsi and (rsi < 20 or rsi > 80) then
          return true, string.format("%s RSI at %.1f", ctx.symbol, rsi)
        end
        return false
      end,
      severity = "warning",
      cooldown = 900,
    },
  },
}
