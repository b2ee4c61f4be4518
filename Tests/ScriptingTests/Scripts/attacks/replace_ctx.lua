-- Attack: replacing ctx functions and tables. On EVIL/USDT every odd candle clobbers ctx;
-- every even candle must still find the host's ctx intact.
return {
  params = { period = 3 },
  indicators = { sma = ind.sma(3) },
  init = function(state) state.n = 0 end,
  on_candle = function(ctx)
    ctx.state.n = ctx.state.n + 1
    if ctx.symbol == "EVIL/USDT" and ctx.state.n % 2 == 1 then
      ctx.history = function() error("hijacked") end
      ctx.log = nil
      ctx.ind = { sma = -1 }
      ctx.candle = "gone"
      ctx.state = {}
      ctx.params = nil
      return nil
    end
    local rows = ctx.history(2)
    ctx.log("candles", #rows, ctx.params.period)
    return "buy", string.format("n=%d sma=%s close=%s", ctx.state.n, tostring(ctx.ind.sma), tostring(ctx.candle.close))
  end,
}
