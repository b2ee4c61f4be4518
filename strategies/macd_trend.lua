-- MACD trend: follow a histogram sign change, with a stop at a multiple of ATR.
return {
  description = "MACD trend with an ATR stop",
  timeframe = "1m",
  params = { fast = 12, slow = 26, signal = 9, atr_period = 14, stop_atr = 2.5, target_atr = 4 },

  indicators = function(p)
    return {
      macd = ind.macd(p.fast, p.slow, p.signal),
      atr = ind.atr(p.atr_period),
      ema = ind.ema(50),
    }
  end,

  init = function(state)
    state.previous_hist = state.previous_hist or nil
    state.crossings = state.crossings or 0
  end,

  on_candle = function(ctx)
    local macd, state = ctx.ind.macd, ctx.state
    local hist = macd.hist
    if hist == nil then return nil end
    local previous = state.previous_hist
    state.previous_hist = hist
    if previous == nil then return nil end
    local above_trend = ctx.ind.ema ~= nil and ctx.candle.close > ctx.ind.ema
    if previous <= 0 and hist > 0 then
      state.crossings = state.crossings + 1
      return above_trend and "strong_buy" or "buy", "MACD histogram turned positive", above_trend and 0.8 or 0.55
    elseif previous >= 0 and hist < 0 then
      state.crossings = state.crossings + 1
      return above_trend and "sell" or "strong_sell", "MACD histogram turned negative", above_trend and 0.55 or 0.8
    end
    return nil
  end,

  -- Replace the host's stop with this strategy's own ATR multiple.
  risk = function(ctx, proposal)
    local atr = ctx.ind.atr
    if atr == nil or atr <= 0 then return false, "ATR not ready" end
    local side = proposal.side == "buy" and 1 or -1
    local stop_distance = ctx.params.stop_atr * atr
    proposal.stop = proposal.entry - side * stop_distance
    proposal.take_profit = proposal.entry + side * ctx.params.target_atr * atr
    -- risk the same fraction of equity as the host proposed, over the new stop distance
    if proposal.stop ~= nil then
      local host_distance = math.abs(proposal.entry - (proposal.entry - side * 2 * atr))
      proposal.size = proposal.size * host_distance / stop_distance
    end
    return proposal
  end,
}
