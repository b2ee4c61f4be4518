-- Attack: growing_table. Runs the attack on EVIL/USDT only; every other symbol keeps signalling.
return {
  on_candle = function(ctx)
    if ctx.symbol == "EVIL/USDT" then
      local t = {}; for i = 1, 1e9 do t[i] = string.rep("x", 4096) .. i end -- @attack
    end
    return "buy", "still here"
  end,
}
