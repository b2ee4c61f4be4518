-- Attack: string_rep. Runs the attack on EVIL/USDT only; every other symbol keeps signalling.
return {
  on_candle = function(ctx)
    if ctx.symbol == "EVIL/USDT" then
      local s = string.rep("x", 1 << 30); return "sell", s -- @attack
    end
    return "buy", "still here"
  end,
}
